import type { Command } from 'commander';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { catalogSyncProgressQuery, catalogSyncWorkflowId } from '../../workflows/contracts/catalog-sync';
import { ecomCatalogSyncProgressQuery } from '../../workflows/contracts/ecom-catalog-sync';
import type { catalogSync } from '../../workflows/catalog-sync';
import type { ecomCatalogSync } from '../../workflows/ecom-catalog-sync';
import { cliContext, findProduct, type CliContext } from './context';

export function registerCatalogCommands(program: Command): void {
  program
    .command('sync-catalog <connectionId>')
    .description('link and push the whole catalog to a connection (catalog-sync/<connection>; for eCom through its writer)')
    .option('--wait', 'wait for the end and print the totals', false)
    .action(async (connectionId: string, o: { wait: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const connections = (await ctx.api.get('/api/connections')).data.connections as { id: string; kind: string }[];
      const connection = connections.find((c) => c.id === connectionId);
      if (!connection) {
        throw new Error(`no connection "${connectionId}"; connections: ${connections.map((c) => c.id).join(', ') || 'none'}`);
      }
      const client = await ctx.temporal();
      const workflowId = catalogSyncWorkflowId(connectionId);
      if (connection.kind === 'ecom') {
        await syncEcomCatalog(ctx, client, connectionId, workflowId, o.wait);
        return;
      }
      let handle;
      try {
        handle = await client.workflow.start<typeof catalogSync>('catalogSync', {
          workflowId, taskQueue: ctx.opts.taskQueue, args: [{ connectionId }], workflowIdConflictPolicy: 'FAIL',
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        throw new Error(`a catalog sync of ${connectionId} is already running (${workflowId})`);
      }
      if (!o.wait) {
        ctx.print(`catalog sync started: ${workflowId}`, { workflowId });
        return;
      }
      const timer = setInterval(() => {
        handle.query(catalogSyncProgressQuery).then(
          (p) => process.stderr.write(`\r${p.products} products, ${p.created} created, ${p.updated} updated, ${p.failed} failed`),
          () => undefined,
        );
      }, 1000);
      try {
        const result = await handle.result();
        process.stderr.write('\n');
        ctx.print(`done: ${result.products} products, ${result.created} created, ${result.updated} updated, ${result.failed} failed, ${result.requests} requests`, result);
      } finally {
        clearInterval(timer);
      }
    });

  program
    .command('archive <skuOrId>')
    .description("archive a product (the POS's delete): deleted in eCom, taken offline in WooCommerce, never created again")
    .action(async (skuOrId: string, _o: unknown, cmd: Command) => {
      const ctx = cliContext(cmd);
      const product = await findProduct(ctx, skuOrId);
      const res = await ctx.api.post(`/api/products/${product.id}/archive`, {});
      if (res.status !== 200) throw new Error(`the POS API answered ${res.status}: ${res.data?.message ?? JSON.stringify(res.data)}`);
      ctx.print(res.data.changed ? `archived ${product.sku} (product ${product.id})` : `${product.sku} (product ${product.id}) was archived already`, res.data);
    });
}

/** The eCom catalog sync: the connection's writer writes what differs; this queues the catalog and waits for it. */
async function syncEcomCatalog(ctx: CliContext, client: Client, connectionId: string, workflowId: string, wait: boolean): Promise<void> {
  let handle;
  try {
    handle = await client.workflow.start<typeof ecomCatalogSync>('ecomCatalogSync', {
      workflowId, taskQueue: ctx.opts.taskQueue, args: [{ connectionId }], workflowIdConflictPolicy: 'FAIL',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    throw new Error(`a catalog sync of ${connectionId} is already running (${workflowId})`);
  }
  if (!wait) {
    ctx.print(`catalog sync started: ${workflowId} (the products go through ecom-writer/${connectionId})`, { workflowId });
    return;
  }
  const timer = setInterval(() => {
    handle.query(ecomCatalogSyncProgressQuery).then(
      (p) => process.stderr.write(`\r${p.phase}: ${p.queued} queued, ${p.waiting} waiting, ${p.missing} missing in the shop`),
      () => undefined,
    );
  }, 1000);
  try {
    const r = await handle.result();
    process.stderr.write('\n');
    ctx.print(`done: ${r.queued} products written or found unchanged by ecom-writer/${connectionId}, ${r.missing} deleted in the shop created again, ${r.shopProducts} products in the shop read in ${r.reads} requests`, r);
  } finally {
    clearInterval(timer);
  }
}
