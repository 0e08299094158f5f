import { WorkflowFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import type { ConnectionHealth } from '../../activities/pos/connection-checks';
import type { connectionCheck, connectionsOverview, connectionsReload } from '../../workflows/connections';
import {
  CONNECTIONS_OVERVIEW_WORKFLOW_ID, CONNECTIONS_RELOAD_WORKFLOW_ID, connectionCheckWorkflowId, type ConnectionCheckReport,
} from '../../workflows/contracts/connections';
import { cliContext, type CliContext } from './context';
import { connectionKinds, retryConnection } from './push';

/**
 * `possync connections [test <id> | reload | unblock <id>]` (issue 9, issue 7 point 5). Each runs as a
 * short workflow in the worker, which holds the credentials: the CLI never calls a shop itself.
 */
export function registerConnectionCommands(program: Command): void {
  const connections = program
    .command('connections')
    .description('shop connections: list them with their health (last successful call, failures, webhooks)')
    .action(async (_o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const rows = await run<typeof connectionsOverview>(ctx, 'connectionsOverview', CONNECTIONS_OVERVIEW_WORKFLOW_ID, []);
      ctx.print(rows.length ? rows.map(describeHealth).join('\n\n') : 'no connections', rows);
    });
  connections
    .command('test <connectionId>')
    .description('check reachability, credentials and read/write permission now, and say exactly what is wrong')
    .action(async (connectionId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      await knownConnection(ctx, connectionId);
      const report = await run<typeof connectionCheck>(ctx, 'connectionCheck', connectionCheckWorkflowId(connectionId), [{ connectionId }]);
      ctx.print(describeCheck(report), report);
      if (!report.ok && !report.unavailable) process.exitCode = 1;
    });
  connections
    .command('reload')
    .description('apply the connections file (and WOO_*) again in the running npm start: add, change, deactivate (links kept), check')
    .action(async (_o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const r = await run<typeof connectionsReload>(ctx, 'connectionsReload', CONNECTIONS_RELOAD_WORKFLOW_ID, []);
      const lines = [
        ...r.added.map((id) => `  added        ${id}`),
        ...r.changed.map((c) => `  changed      ${c.id} (${c.fields.join(', ')})`),
        ...r.deactivated.map((id) => `  deactivated  ${id} (links kept)`),
        ...r.unchanged.map((id) => `  unchanged    ${id}`),
        '',
        ...r.checks.map(describeCheck),
      ];
      ctx.print(`connections reloaded\n${lines.join('\n')}`, r);
    });
  connections
    .command('unblock <connectionId>')
    .description('resume a connection blocked for refused credentials now; it blocks again if the shop still refuses them')
    .action(async (connectionId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      await knownConnection(ctx, connectionId);
      const kind = (await connectionKinds(ctx)).get(connectionId);
      await retryConnection(await ctx.temporal(), ctx.opts.taskQueue, connectionId, kind);
      ctx.print(`unblock of ${connectionId} requested: its ${kind === 'ecom' ? 'eCom writer' : 'batched push'} retries now`, { connectionId });
    });
}

async function run<W extends (...args: any[]) => Promise<any>>(ctx: CliContext, type: string, workflowId: string, args: Parameters<W>): Promise<Awaited<ReturnType<W>>> {
  const client = await ctx.temporal();
  try {
    return (await client.workflow.execute<W>(type, {
      workflowId, taskQueue: ctx.opts.taskQueue, args,
      workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    } as never)) as Awaited<ReturnType<W>>;
  } catch (err) {
    // The activity's own words (e.g. which connection and field of the file is wrong), not "Workflow execution failed".
    if (err instanceof WorkflowFailedError) throw new Error(rootCause(err));
    throw err;
  }
}

function rootCause(err: Error): string {
  let e: Error = err;
  while (e.cause instanceof Error) e = e.cause;
  return e.message;
}

async function knownConnection(ctx: CliContext, connectionId: string): Promise<void> {
  const known = await ctx.api.get('/api/connections');
  if (known.status === 200 && Array.isArray(known.data?.connections) && !known.data.connections.some((c: { id: string }) => c.id === connectionId)) {
    throw new Error(`no connection "${connectionId}"`);
  }
}

export function describeCheck(r: ConnectionCheckReport): string {
  if (r.unavailable) return `${r.connectionId}: ${r.problem}`;
  const steps = Object.entries(r.steps).map(([k, v]) => `${k} ${v}`).join(', ');
  return r.ok
    ? `${r.connectionId}: ok (${steps})`
    : `${r.connectionId}: FAILED (${steps})\n  ${r.problem}${r.detail ? `\n  the shop answered: ${r.detail}` : ''}\n  no pushes reach it until it passes`;
}

function describeHealth(h: ConnectionHealth): string {
  const head = `${h.id}  ${h.kind}${h.sandbox ? ' (sandbox)' : ''}  ${h.active ? 'active' : 'DEACTIVATED'}  ${h.url}`;
  const check = h.lastCheck
    ? h.lastCheck.ok ? `ok at ${h.lastCheck.at}` : `FAILED at ${h.lastCheck.at} (${h.lastCheck.failuresInARow} in a row): ${h.lastCheck.problem}`
    : 'never checked';
  return [
    head,
    `  check         ${check}`,
    `  last success  ${h.lastSuccessAt ?? 'never'}`,
    `  failing       ${h.failingProducts} product${h.failingProducts === 1 ? '' : 's'}`,
    ...(h.blocked ? [`  BLOCKED       since ${h.blocked.since}: ${h.blocked.reason}`] : []),
    `  webhooks      ${h.webhooks ? `${h.webhooks.state} (checked ${h.webhooks.at})` : 'not checked yet'}`,
  ].join('\n');
}
