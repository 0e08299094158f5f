import type { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { productChangedSignal, productPushWorkflowId, pushStatusQuery, DEFAULT_PUSH_TIMING } from '../../workflows/contracts/product-push';
import { batchPushStatusQuery, batchPushWorkflowId } from '../../workflows/contracts/batch-push';
import { ecomWriterDetails, ecomWriterStatusQuery, ecomWriterWorkflowId } from '../../workflows/contracts/ecom-writer';
import type { productPush } from '../../workflows/product-push';
import type { batchPush } from '../../workflows/batch-push';
import type { ecomWriter } from '../../workflows/ecom-writer';
import { retryNowSignal } from '../../workflows/contracts/retry';
import type { Client } from '@temporalio/client';
import { blockedLines, failingLines, reconciliationLine, type BlockedConnection, type FailingPush, type Reconciliation } from './failures-view';
import { cliContext, findProduct, type CliContext } from './context';
import { readShopView, stockMatch, stockMatchLines, type StockMatch } from './shop';
import { causeChain } from './workflow-failure';

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
      // Stock movements of a linked product are pushed by its connections' batched pushes; an eCom
      // connection's every write by its writer (ecom-writer/<connection>).
      const linkRows = detail.links as { connection_id: string; connection_kind?: string }[];
      const ecomConnections = [...new Set(linkRows.filter((l) => l.connection_kind === 'ecom').map((l) => l.connection_id))];
      const connections = [...new Set(linkRows.filter((l) => l.connection_kind !== 'ecom').map((l) => l.connection_id))];
      const writers = await Promise.all(ecomConnections.map((c) => ecomWriterLine(client, c)));
      const lastEcomPush = (c: string) => log.find((e) => e.connection_id === c && e.action.startsWith('ecom'));
      const batches = await Promise.all(connections.map(async (c) => {
        try {
          const h = client.workflow.getHandle(batchPushWorkflowId(c));
          const described = (await h.describe()).status.name;
          // "blocked" while the shop refuses the connection's credentials (issue 7 point 5).
          const phase = described === 'RUNNING' ? (await h.query(batchPushStatusQuery)).phase : undefined;
          return { workflowId: batchPushWorkflowId(c), status: phase ? `${described} (${phase})` : described };
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          return { workflowId: batchPushWorkflowId(c), status: 'not running' };
        }
      }));
      const failures = (await ctx.api.get('/api/sync-failures', { params: { product_id: product.id, limit: 1 } })).data as {
        failing: FailingPush[]; blocked_connections: BlockedConnection[]; reconciliation: Reconciliation | null;
      };
      const shopStock = await Promise.all(connections.map((c) => shopStockOf(ctx, c, product.sku)));
      const blocked = failures.blocked_connections.filter((b) => connections.includes(b.connection_id) || failures.failing.some((f) => f.connection_id === b.connection_id));
      const lines = [
        `${product.sku}  "${detail.name}"  (product ${product.id}, version ${detail.version})`,
        ...(failures.failing.length > 0 ? ['PUSH FAILING:', ...failingLines(failures.failing)] : ['push: no failure']),
        ...blockedLines(blocked),
        reconciliationLine(failures.reconciliation),
        `workflow ${productPushWorkflowId(product.id)}: ${workflow.status}`,
        ...batches.map((b) => `workflow ${b.workflowId} (stock movements): ${b.status}`),
        ...writers.map((w) => `workflow ${w.workflowId} (every eCom write): ${w.status}`),
        ...ecomConnections.map((c) => {
          const last = lastEcomPush(c);
          return `  ${c} (Lightspeed eCom) last push: ${last ? `${last.created_at} ${last.status} ${last.message}` : 'none in the recent sync log'}`;
        }),
        ...detail.links.map((l: { connection_id: string; variant_id: number | null; remote_id: number; pushed_at: string | null; shop_state?: string | null }) =>
          `  ${l.connection_id}: ${l.variant_id ? `variant ${l.variant_id}` : 'product'} -> remote ${l.remote_id}, pushed ${l.pushed_at ?? 'never'}` +
          (l.shop_state === 'trashed' ? `  TRASHED IN THE SHOP (not pushed; possync restore-trashed ${product.sku} ${l.connection_id} | possync unlink ${product.sku} ${l.connection_id})` : '') +
          (l.shop_state === 'restore' ? '  (restore from the shop trash requested)' : '')),
        ...shopStock.flatMap(stockMatchLines),
        'recent sync log:',
        ...log.slice(0, 10).map((e) => `  ${e.created_at}  ${e.connection_id ?? '-'}  ${e.action} ${e.status}  ${e.message}`),
      ];
      ctx.print(lines.join('\n'), { product: detail, workflow, batches, ecomWriters: writers, shopStock, log, failing: failures.failing, blocked, reconciliation: failures.reconciliation });
    });

  program
    .command('failures')
    .description('products whose push is failing now, blocked connections, and recent sync failures')
    .option('--limit <n>', 'how many', '20')
    .action(async (o: { limit: string }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const res = await ctx.api.get('/api/sync-failures', { params: { limit: o.limit } });
      if (res.status !== 200) throw new Error(`the POS API answered ${res.status}: ${JSON.stringify(res.data)}`);
      const data = res.data as { failing: FailingPush[]; blocked_connections: BlockedConnection[]; reconciliation: Reconciliation | null; failures: LogRow[] };
      const lines: string[] = [];
      if (data.blocked_connections.length > 0) lines.push('blocked connections:', ...blockedLines(data.blocked_connections));
      if (data.failing.length > 0) lines.push(`failing pushes (${data.failing.length}):`, ...failingLines(data.failing));
      if (data.failures.length > 0) {
        lines.push('recent failures in the sync log:', ...data.failures.map((r) => `  ${r.created_at}  ${r.connection_id ?? '-'}  product ${r.product_id ?? '-'}  ${r.action}${statusMark(r.status)}: ${r.message}`));
      }
      if (lines.length === 0) lines.push('no sync failures');
      lines.push(reconciliationLine(data.reconciliation));
      ctx.print(lines.join('\n'), data);
    });

  program
    .command('retry [skuOrId]')
    .description('push again now a product whose push is failing (or every one with --all), cutting any retry backoff short')
    .option('--all', 'every failing product and every blocked connection')
    .action(async (skuOrId: string | undefined, o: { all?: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd);
      if (!skuOrId === !o.all) throw new Error('name one product (SKU or id) or --all');
      const product = skuOrId ? await findProduct(ctx, skuOrId) : undefined;
      const res = await ctx.api.get('/api/sync-failures', { params: { limit: 500, ...(product ? { product_id: product.id } : {}) } });
      if (res.status !== 200) throw new Error(`the POS API answered ${res.status}: ${JSON.stringify(res.data)}`);
      const data = res.data as { failing: FailingPush[]; blocked_connections: BlockedConnection[] };
      const productIds = product ? [product.id] : [...new Set(data.failing.map((f) => f.product_id))];
      const connections = new Set(data.failing.map((f) => f.connection_id));
      if (!product) data.blocked_connections.forEach((b) => connections.add(b.connection_id));
      const client = await ctx.temporal();
      for (const id of productIds) await retryProduct(client, ctx.opts.taskQueue, id);
      // Failures of the batched path (and every eCom write) wait in their connection's workflow (backoff, or blocked).
      const kinds = await connectionKinds(ctx);
      for (const c of connections) await retryConnection(client, ctx.opts.taskQueue, c, kinds.get(c));
      ctx.print(
        `retry requested: ${productIds.length} product push(es), ${connections.size} connection(s)${connections.size ? ` (${[...connections].join(', ')})` : ''}`,
        { productIds, connections: [...connections] },
      );
    });
}

/** The eCom writer of a connection: whether it runs, what it does, and its queue and totals. */
async function ecomWriterLine(client: Client, connectionId: string): Promise<{ workflowId: string; status: string }> {
  const workflowId = ecomWriterWorkflowId(connectionId);
  try {
    const h = client.workflow.getHandle(workflowId);
    const described = (await h.describe()).status.name;
    if (described !== 'RUNNING') return { workflowId, status: `${described} (started again by the next change)` };
    const s = await h.query(ecomWriterStatusQuery);
    return { workflowId, status: `RUNNING (${s.phase}) · ${ecomWriterDetails(s.queued, s)}${s.blockedReason ? ` · blocked: ${s.blockedReason}` : ''}` };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return { workflowId, status: 'not running (started by the next change)' };
  }
}

/** The shop's stock beside the POS's (issue 8.5); a shop or workflow that fails says why instead of failing the command. */
async function shopStockOf(ctx: CliContext, connectionId: string, sku: string): Promise<StockMatch> {
  try {
    return stockMatch(await readShopView(ctx, connectionId, sku));
  } catch (err) {
    const root = causeChain(err).at(-1);
    return { connectionId, error: root?.message ?? String(err), items: [] };
  }
}

interface LogRow { created_at: string; connection_id: string; product_id: number; action: string; status?: string; message: string }

/** The product's push starts again now, or starts (retryNow also counts as a change). */
async function retryProduct(client: Client, taskQueue: string, productId: number): Promise<void> {
  await client.workflow.signalWithStart<typeof productPush, []>('productPush', {
    workflowId: productPushWorkflowId(productId), taskQueue, args: [{ productId, ...DEFAULT_PUSH_TIMING }], signal: retryNowSignal,
  });
}

/** The connection's batched push retries now; a blocked connection is unblocked (the next push proves the keys). */
export async function retryConnection(client: Client, taskQueue: string, connectionId: string, kind?: string): Promise<void> {
  if (kind === 'ecom') {
    await client.workflow.signalWithStart<typeof ecomWriter, []>('ecomWriter', {
      workflowId: ecomWriterWorkflowId(connectionId), taskQueue, args: [{ connectionId, ...DEFAULT_PUSH_TIMING }], signal: retryNowSignal,
    });
    return;
  }
  await client.workflow.signalWithStart<typeof batchPush, []>('batchPush', {
    workflowId: batchPushWorkflowId(connectionId), taskQueue, args: [{ connectionId, ...DEFAULT_PUSH_TIMING }], signal: retryNowSignal,
  });
}

/** The kind of every connection, by id (the POS API's list). */
export async function connectionKinds(ctx: CliContext): Promise<Map<string, string>> {
  const res = await ctx.api.get('/api/connections');
  const rows = (res.status === 200 && Array.isArray(res.data?.connections) ? res.data.connections : []) as { id: string; kind: string }[];
  return new Map(rows.map((c) => [c.id, c.kind]));
}

/** A sync-log status other than a plain failure, as the operator should read it. */
function statusMark(status: string | undefined): string {
  if (!status || status === 'failed') return '';
  return status === 'trashed' ? ' TRASHED IN THE SHOP' : ` ${status}`;
}
