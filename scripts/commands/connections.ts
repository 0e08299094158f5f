import type { Command } from 'commander';
import { cliContext } from './context';
import { retryConnection } from './push';

/** `possync connections unblock <id>`: the operator says the credentials are fixed (issue 7 point 5). */
export function registerConnectionCommands(program: Command): void {
  const connections = program.command('connections').description('shop connections');
  connections
    .command('unblock <connectionId>')
    .description('resume a connection blocked for refused credentials now; it blocks again if the shop still refuses them')
    .action(async (connectionId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const known = await ctx.api.get('/api/connections');
      if (!(known.data.connections as { id: string }[]).some((c) => c.id === connectionId)) throw new Error(`no connection "${connectionId}"`);
      await retryConnection(await ctx.temporal(), ctx.opts.taskQueue, connectionId);
      ctx.print(`unblock of ${connectionId} requested: its batched push retries now`, { connectionId });
    });
}
