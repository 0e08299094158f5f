import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import {
  WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle,
} from '@temporalio/client';
import {
  importProgressQuery, importWorkflowId, orderReimportWorkflowId, pauseImportUpdate, resumeImportUpdate, restoreBackupWorkflowId,
  type ImportProgress, type PauseOutcome,
} from '../../workflows/contracts/order-import';
import { SA } from '../../workflows/contracts/search-attributes';
import { describe, finalProgress, importStatus } from './import-status';
import { orderOutcomes } from './import-orders';
import type { orderImport } from '../../workflows/order-import';
import type { reimportOrders, restoreBackup } from '../../workflows/order-maintenance';
import { cliContext, type CliContext } from './context';
import { positiveIntList } from './parse';

export function registerImportCommands(program: Command): void {
  const imp = program.command('import').description('the WooCommerce order history import (backup first, then history orders)');

  imp
    .command('start <connectionId>')
    .description('back up, then import the orders placed before the connection (order-import/<connection>; a dry run: order-import-dry-run/<connection>)')
    .option('--dry-run', 'report what would be linked, created, deducted and failed; write nothing', false)
    .option('--watch', 'follow the progress until the import ends', false)
    .action(async (connectionId: string, o: { dryRun: boolean; watch: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd);
      await assertConnection(ctx, connectionId);
      const client = await ctx.temporal();
      const workflowId = importWorkflowId(connectionId, o.dryRun);
      try {
        await client.workflow.start<typeof orderImport>('orderImport', {
          workflowId, taskQueue: ctx.opts.taskQueue, args: [{ connectionId, dryRun: o.dryRun }], workflowIdConflictPolicy: 'FAIL',
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          throw new Error(`${o.dryRun ? 'a dry run' : 'an import'} of ${connectionId} is already running: use \`possync import status ${connectionId}\``);
        }
        throw err;
      }
      ctx.print(`${o.dryRun ? 'dry run' : 'import'} started: ${workflowId}`, { workflowId, dryRun: o.dryRun });
      if (o.watch) await watch(ctx, client.workflow.getHandle(workflowId));
    });

  for (const verb of ['pause', 'resume'] as const) {
    imp
      .command(`${verb} <connectionId>`)
      .description(`${verb} the running import between two pages; says where it ${verb === 'pause' ? 'stopped' : 'goes on'}`)
      .option('--dry-run', `${verb} the dry run instead of the import`, false)
      .action(async (connectionId: string, o: { dryRun: boolean }, cmd: Command) => {
        const ctx = cliContext(cmd);
        const handle = (await ctx.temporal()).workflow.getHandle(importWorkflowId(connectionId, o.dryRun));
        await running(handle, connectionId);
        const r = await pauseOrResume(handle, connectionId, verb);
        ctx.print(r.text, r.outcome);
      });
  }

  imp
    .command('status <connectionId>')
    .description('progress of the import and of its dry run: a live bar on a terminal, plain lines otherwise')
    .option('--watch', 'follow the import until it ends', false)
    .option('--dry-run', 'with --watch: follow the dry run', false)
    .action(async (connectionId: string, o: { watch: boolean; dryRun: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const client = await ctx.temporal();
      if (o.watch) return watch(ctx, client.workflow.getHandle(importWorkflowId(connectionId, o.dryRun)));
      const both = await importStatus(client, connectionId);
      ctx.print(both.text, { import: both.import, dryRun: both.dryRun });
    });

  imp
    .command('orders <connectionId>')
    .description('the shop orders the POS recorded, by outcome, with reasons: to choose what to re-import')
    .option('--failed', 'only failed orders', false)
    .option('--skipped', 'only skipped orders', false)
    .option('--imported', 'only imported orders', false)
    .option('--limit <n>', 'at most this many orders (1-1000)', '100')
    .option('--after <orderId>', 'orders after this order id (the next page)')
    .action(async (connectionId: string, o: { failed: boolean; skipped: boolean; imported: boolean; limit: string; after?: string }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const chosen = (['failed', 'skipped', 'imported'] as const).filter((k) => o[k]);
      if (chosen.length > 1) throw new Error('give at most one of --failed, --skipped, --imported');
      const r = await orderOutcomes(ctx.api, connectionId, { outcome: chosen[0], limit: o.limit, after: o.after });
      ctx.print(r.text, r.data);
    });

  imp
    .command('restore <backupId>')
    .description('put every stock level back as the backup has it (order-restore/<connection>/<backupId>)')
    .action(async (backupId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const backup = await ctx.api.get(`/api/backups/${encodeURIComponent(backupId)}`);
      const connectionId = backup.status === 200 ? (backup.data.connection_id as string | null) : undefined;
      const result = await restoreFromBackup(await ctx.temporal(), ctx.opts.taskQueue, backupId, connectionId);
      ctx.print(`restored ${result.levels} stock levels from ${backupId}; ${result.orders} orders can be re-imported; ${result.products} products are being pushed`, result);
    });

  imp
    .command('reimport <connectionId> <orderIds...>')
    .description('apply chosen orders again as the shop has them now (never deducts twice)')
    .action(async (connectionId: string, orderIds: string[], _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      await assertConnection(ctx, connectionId);
      const ids = positiveIntList(orderIds);
      const client = await ctx.temporal();
      const result = await client.workflow.execute<typeof reimportOrders>('reimportOrders', {
        workflowId: orderReimportWorkflowId(connectionId, ids), taskQueue: ctx.opts.taskQueue, args: [{ connectionId, orderIds: ids }],
        workflowIdConflictPolicy: 'USE_EXISTING', typedSearchAttributes: [{ key: SA.connection, value: connectionId }],
      });
      const failures = result.failures.map((f) => `\n  order ${f.orderId}: ${f.reason}`).join('');
      ctx.print(`${result.orders} orders: ${result.imported} imported, ${result.skipped} skipped, ${result.failed} failed, ${result.deducted} units deducted${failures}`, result);
    });
}

/**
 * Issue 7.7: pause and resume are updates that return once the import has really stopped (or
 * goes on), with the page it stopped after; a refusal comes back with the workflow's reason.
 */
export async function pauseOrResume(handle: WorkflowHandle, connectionId: string, verb: 'pause' | 'resume'): Promise<{ text: string; outcome: PauseOutcome }> {
  let outcome: PauseOutcome;
  try {
    outcome = await handle.executeUpdate(verb === 'pause' ? pauseImportUpdate : resumeImportUpdate);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new Error(`the import of ${connectionId} was not ${verb}d: ${err.cause?.message ?? err.message}`, { cause: err });
    throw err;
  }
  const where = `after page ${outcome.pagesDone} (${outcome.ordersDone} orders${outcome.cursor ? `, the last created ${outcome.cursor.dateGmt}` : ''})`;
  const text = verb === 'pause'
    ? `${outcome.already ? 'the import was already paused' : 'the import has stopped'} ${where}; resume with: possync import resume ${connectionId}`
    : `${outcome.already ? 'the import was not paused; it is' : 'the import is'} running again ${where}`;
  return { text, outcome };
}

/** Issue 7.8: a backup that does not exist is said at once, with the workflow's reason. */
export async function restoreFromBackup(
  client: Client, taskQueue: string, backupId: string, connectionId?: string | null,
): Promise<{ levels: number; orders: number; products: number }> {
  try {
    return await client.workflow.execute<typeof restoreBackup>('restoreBackup', {
      workflowId: restoreBackupWorkflowId(backupId, connectionId), taskQueue, workflowIdConflictPolicy: 'USE_EXISTING',
      args: [connectionId ? { backupId, connectionId } : { backupId }],
      ...(connectionId ? { typedSearchAttributes: [{ key: SA.connection, value: connectionId }] } : {}),
    });
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw new Error(`the restore of ${backupId} failed: ${err.cause?.message ?? err.message}`, { cause: err });
    throw err;
  }
}

async function assertConnection(ctx: CliContext, connectionId: string): Promise<void> {
  const connections = (await ctx.api.get('/api/connections')).data.connections as { id: string }[];
  if (!connections.some((c) => c.id === connectionId)) {
    throw new Error(`no connection "${connectionId}"; connections: ${connections.map((c) => c.id).join(', ') || 'none'}`);
  }
}

async function running(handle: WorkflowHandle, connectionId: string): Promise<void> {
  try {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') throw new Error(`the import of ${connectionId} is not running (it is ${d.status.name.toLowerCase()})`);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new Error(`no import of ${connectionId} was ever started`);
    throw err;
  }
}

/** A progress bar on a terminal; one plain line per change otherwise (logs, CI, pipes). */
async function watch(ctx: CliContext, handle: WorkflowHandle): Promise<void> {
  const tty = process.stdout.isTTY && !ctx.opts.json;
  const bar = tty ? new SingleBar({ format: '{phase} [{bar}] {value}/{total} orders | {imported} imported {failed} failed | ETA {eta_formatted}' }, Presets.shades_classic) : undefined;
  let started = false;
  let last = '';
  for (;;) {
    const d = await handle.describe();
    const p: ImportProgress = d.status.name === 'RUNNING' ? await handle.query(importProgressQuery) : await finalProgress(handle, handle.workflowId);
    if (bar) {
      const payload = { phase: p.phase.padEnd(8), imported: p.imported, failed: p.failed };
      if (!started) bar.start(p.totalOrders ?? 0, p.ordersDone, payload);
      started = true;
      bar.setTotal(p.totalOrders ?? 0);
      bar.update(p.ordersDone, payload);
    } else {
      const line = describe(p).split('\n')[0]!;
      if (line !== last) console.log(line);
      last = line;
    }
    if (d.status.name !== 'RUNNING') {
      bar?.stop();
      ctx.print(describe(p), p);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
