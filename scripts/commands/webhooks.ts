import type { Command } from 'commander';
import { describeReport, ensureWebhooksNow } from '../../stack/webhook-health-starter';
import { cliContext } from './context';

export function registerWebhookCommands(program: Command): void {
  const hooks = program.command('webhooks').description("the shop's order webhooks that possync keeps active");
  hooks
    .command('ensure <connectionId>')
    .description('create the order webhooks, or repair them (status active, delivery URL, secret); runs webhook-health/<connection> and waits for it')
    .action(async (connectionId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const connections = await ctx.api.get('/api/connections');
      if (connections.status === 200 && Array.isArray(connections.data?.connections)
        && !connections.data.connections.some((c: { id: string }) => c.id === connectionId)) {
        throw new Error(`no connection "${connectionId}"`);
      }
      const report = await ensureWebhooksNow(await ctx.temporal(), ctx.opts.taskQueue, connectionId);
      ctx.print(describeReport(report), report);
    });
}
