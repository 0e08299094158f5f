import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import { orderImportWorkflowId } from '../workflows/contracts/order-import';
import type { catalogSync } from '../workflows/catalog-sync';
import type { orderImport } from '../workflows/order-import';
import type { Stack } from '../stack/start';
import { benchShop, report, seedCatalog } from './harness';

/**
 * The history import end to end: 20,000 orders of about 3 lines, 100 per page, at the
 * sandbox latency. Then the same import again, which must deduct nothing.
 */
export async function orderImportBench(stack: Stack, s: { orders: number; perRequestMs: number }): Promise<void> {
  const shop = await benchShop(stack, 'orders', { latency: { perRequestMs: s.perRequestMs }, concurrency: 8 });
  try {
    await seedCatalog(stack.db, { prefix: 'ORD', simple: 400, variable: 100, variations: 4, outletId: shop.outletId });
    await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: catalogSyncWorkflowId(shop.connectionId), taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    const start = new Date();
    await stack.db('connections').where({ id: shop.connectionId }).update({ start_date: start });
    shop.sandbox.seedOrders({ count: s.orders, createdBefore: new Date(start.getTime() - 60_000), linesPerOrder: [1, 5], seed: 5 });

    const run = async (tag: string) => {
      const t = Date.now();
      const workflowId = `${orderImportWorkflowId(shop.connectionId)}/${tag}`;
      const result = await stack.client.workflow.execute<typeof orderImport>('orderImport', {
        workflowId, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
      });
      const ms = Date.now() - t;
      let longest = 0;
      let runs = 0;
      for await (const wf of stack.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
        runs += 1;
        const d = await stack.client.workflow.getHandle(wf.workflowId, wf.runId).describe();
        longest = Math.max(longest, d.historyLength);
      }
      return { result, ms, longest, runs };
    };
    const first = await run('bench');
    const again = await run('bench-rerun');
    const lines = Number((await stack.db('stock_movements').where({ reference_type: 'woo_order', kind: 'order_import' }).count({ n: '*' }))[0]!.n);
    report('order-history import', {
      orders: first.result.ordersDone, imported: first.result.imported, skipped: first.result.skipped, failed: first.result.failed,
      stock_movements: lines, sandbox_latency_ms: s.perRequestMs, wall_ms: first.ms,
      orders_per_second: Math.round(first.result.ordersDone / (first.ms / 1000)),
      longest_history_events: first.longest, runs_in_chain: first.runs,
      rerun: { wall_ms: again.ms, units_deducted: again.result.deducted, orders: again.result.ordersDone },
      lower_bound: { requests: Math.ceil(s.orders / 100), time_ms: Math.ceil(s.orders / 100) * s.perRequestMs },
      targets: { orders_per_second: 300, rerun_units_deducted: 0, history: 'bounded (continue-as-new)' },
    });
  } finally {
    await shop.sandbox.close();
  }
}
