import type { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { productChangedSignal, productPushWorkflowId, pushStatusQuery, DEFAULT_PUSH_TIMING } from '../../workflows/contracts/product-push';
import { batchPushWorkflowId } from '../../workflows/contracts/batch-push';
import type { productPush } from '../../workflows/product-push';
import { cliContext, findProduct } from './context';

export function registerPushCommands(program: Command): void {
  program
    .command('push <skuOrId>')
    .description('push one product to every connection now (signal-with-start on product-push/<id>)')
    .action(async (skuOrId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const product = await findProduct(ctx, skuOrId);
      const client = await ctx.temporal();
      const handle = await client.workflow.signalWithStart<typeof productPush, [{ reason: string }]>('productPush', {
        workflowId: productPushWorkflowId(product.id),
        taskQueue: ctx.opts.taskQueue,
        args: [{ productId: product.id, ...DEFAULT_PUSH_TIMING }],
        signal: productChangedSignal,
        signalArgs: [{ reason: 'manual' }],
      });
      ctx.print(`push of ${product.sku} requested: workflow ${handle.workflowId}`, { workflowId: handle.workflowId, productId: product.id });
    });

  program
    .command('status <skuOrId>')
    .description("show a product's sync: its push workflow, its links per connection, its last sync log entries")
    .action(async (skuOrId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const product = await findProduct(ctx, skuOrId);
      const detail = (await ctx.api.get(`/api/products/${product.id}`)).data;
      const log = (await ctx.api.get(`/api/products/${product.id}/sync-log`)).data.entries as {
        created_at: string; connection_id: string; action: string; status: string; message: string;
      }[];
      const client = await ctx.temporal();
      const handle = client.workflow.getHandle(productPushWorkflowId(product.id));
      let workflow: Record<string, unknown> = { status: 'never started' };
      try {
        const d = await handle.describe();
        workflow = { status: d.status.name, runId: d.runId, started: d.startTime.toISOString() };
        if (d.status.name === 'RUNNING') workflow.push = await handle.query(pushStatusQuery);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      // Stock movements of a linked product are pushed by its connections' batched pushes.
      const connections = [...new Set<string>(detail.links.map((l: { connection_id: string }) => l.connection_id))];
      const batches = await Promise.all(connections.map(async (c) => {
        try {
          return { workflowId: batchPushWorkflowId(c), status: (await client.workflow.getHandle(batchPushWorkflowId(c)).describe()).status.name };
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          return { workflowId: batchPushWorkflowId(c), status: 'not running' };
        }
      }));
      const lines = [
        `${product.sku}  "${detail.name}"  (product ${product.id}, version ${detail.version})`,
        `workflow ${productPushWorkflowId(product.id)}: ${workflow.status}`,
        ...batches.map((b) => `workflow ${b.workflowId} (stock movements): ${b.status}`),
        ...detail.links.map((l: { connection_id: string; variant_id: number | null; remote_id: number; pushed_at: string | null; shop_state?: string | null }) =>
          `  ${l.connection_id}: ${l.variant_id ? `variant ${l.variant_id}` : 'product'} -> remote ${l.remote_id}, pushed ${l.pushed_at ?? 'never'}` +
          (l.shop_state === 'trashed' ? `  TRASHED IN THE SHOP (not pushed; possync restore-trashed ${product.sku} ${l.connection_id} | possync unlink ${product.sku} ${l.connection_id})` : '') +
          (l.shop_state === 'restore' ? '  (restore from the shop trash requested)' : '')),
        'recent sync log:',
        ...log.slice(0, 10).map((e) => `  ${e.created_at}  ${e.connection_id ?? '-'}  ${e.action} ${e.status}  ${e.message}`),
      ];
      ctx.print(lines.join('\n'), { product: detail, workflow, batches, log });
    });

  program
    .command('failures')
    .description('list recent sync failures')
    .option('--limit <n>', 'how many', '20')
    .action(async (o: { limit: string }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const res = await ctx.api.get('/api/sync-failures', { params: { limit: o.limit } });
      const rows = res.data.failures as { created_at: string; connection_id: string; product_id: number; action: string; status?: string; message: string }[];
      const text = rows.length === 0
        ? 'no sync failures'
        : rows.map((r) => `${r.created_at}  ${r.connection_id ?? '-'}  product ${r.product_id ?? '-'}  ${r.action}${r.status && r.status !== 'failed' ? ` ${r.status === 'trashed' ? 'TRASHED IN THE SHOP' : r.status}` : ''}: ${r.message}`).join('\n');
      ctx.print(text, rows);
    });
}
