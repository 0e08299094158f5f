import type { Knex } from 'knex';
import { deductsStock, stockDeltas, sumByItem, type ItemQuantity } from '../../domain/order-stock';
import type { RemoteOrder, RemoteOrderLine } from '../../domain/remote-order';
import { markProductsChanged } from './change-feed';
import type { ConnectionInfo } from './connections';
import { applyStockDeltasBulk, resolveSkus, type StockItem } from './stock';

export type ApplyMode = 'import' | 'sync' | 'reimport';

export interface OrderOutcome {
  orderId: number;
  outcome: 'imported' | 'skipped' | 'failed';
  reason: string;
}

export interface ApplySummary {
  orders: number;
  imported: number;
  skipped: number;
  failed: number;
  /** Items linked to the shop by SKU (M-B5). */
  linked: number;
  /** Products created in the POS from an order line (M-B6). */
  created: number;
  /** Units taken out of stock (negative when stock came back). */
  deducted: number;
  failures: { orderId: number; reason: string }[];
  productIds: number[];
}

/**
 * Applies a page of shop orders to the POS in the caller's transaction. Each order moves stock
 * at the connection's outlet (M-B4) by the difference between what it should deduct now and
 * what it already deducted, so applying the same order again changes nothing (M-B8 beyond).
 */
export async function applyRemoteOrders(
  trx: Knex.Transaction,
  connection: ConnectionInfo,
  orders: RemoteOrder[],
  opts: { mode: ApplyMode; importRunId?: number | null },
): Promise<ApplySummary> {
  const summary: ApplySummary = { orders: orders.length, imported: 0, skipped: 0, failed: 0, linked: 0, created: 0, deducted: 0, failures: [], productIds: [] };
  if (orders.length === 0) return summary;
  const ids = orders.map((o) => o.id);
  const existing = new Map<number, { applied: ItemQuantity[] }>(
    (
      await trx('remote_orders').where({ connection_id: connection.id }).whereIn('remote_order_id', ids).orderBy('remote_order_id').forUpdate()
        .select('remote_order_id', 'applied')
    ).map((r) => [Number(r.remote_order_id), { applied: r.applied as ItemQuantity[] }]),
  );
  const skus = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.sku).filter((s): s is string => !!s)))];
  const items = await resolveSkus(trx, skus);
  const touched = new Set<number>();
  const deltas: { productId: number; variantId: number | null; delta: number; referenceId: string; note: string }[] = [];
  const rows: Record<string, unknown>[] = [];
  const links: Record<string, unknown>[] = [];

  for (const order of orders) {
    const prior = existing.get(order.id);
    const problem = order.lines.map((l) => lineProblem(l, items.get(l.sku ?? ''))).find((p) => p !== undefined);
    let outcome: OrderOutcome['outcome'];
    let reason = '';
    let wanted: ItemQuantity[];
    if (problem && deductsStock(order.status)) {
      // M-B7: the order fails alone, with its reason; what it deducted before stays as it was.
      outcome = 'failed';
      reason = problem;
      wanted = prior?.applied ?? [];
    } else {
      const resolved: Omit<ItemQuantity, 'key'>[] = [];
      for (const line of order.lines) {
        if (!line.sku) continue;
        let item = items.get(line.sku);
        if (item === undefined) {
          item = await createFromLine(trx, line); // M-B6
          items.set(line.sku, item);
          summary.created += 1;
        }
        if (item === 'variable') continue;
        resolved.push({ productId: item.productId, variantId: item.variantId, quantity: line.quantity });
        links.push(...linkRows(connection.id, item, line));
      }
      const deducts = deductsStock(order.status);
      wanted = deducts ? sumByItem(resolved) : [];
      outcome = deducts ? 'imported' : 'skipped';
      reason = deducts ? '' : skipReason(order.status);
    }
    for (const d of stockDeltas(prior?.applied ?? [], wanted)) {
      deltas.push({ productId: d.productId, variantId: d.variantId, delta: d.quantity, referenceId: `${connection.id}:${order.id}`, note: `order ${order.id} (${order.status})` });
      touched.add(d.productId);
      summary.deducted -= d.quantity;
    }
    summary[outcome] += 1;
    if (outcome === 'failed') summary.failures.push({ orderId: order.id, reason });
    rows.push({
      connection_id: connection.id, remote_order_id: order.id, status: order.status,
      date_created_gmt: gmt(order.dateCreatedGmt), date_modified_gmt: gmt(order.dateModifiedGmt),
      applied: JSON.stringify(wanted), outlet_id: connection.outletId, source: opts.mode, outcome, reason,
      import_run_id: opts.importRunId ?? null, updated_at: trx.fn.now(),
    });
  }

  if (links.length > 0) {
    const inserted = await trx('product_links').insert(links, ['product_id']).onConflict().ignore();
    summary.linked = inserted.filter((r) => r).length;
    for (const r of inserted) touched.add(r.product_id);
  }
  await applyStockDeltasBulk(trx, connection.outletId, deltas, {
    kind: opts.mode === 'sync' ? 'order_sync' : 'order_import', referenceType: 'woo_order', registerId: connection.registerId,
  });
  await trx('remote_orders').insert(rows).onConflict(['connection_id', 'remote_order_id']).merge();
  summary.productIds = [...touched].sort((a, b) => a - b);
  if (opts.mode === 'sync') await markProductsChanged(trx, summary.productIds, 'order_sync');
  return summary;
}

function lineProblem(line: RemoteOrderLine, item: StockItem | 'variable' | undefined): string | undefined {
  if (line.sku === null || line.sku === '') {
    return line.sku === null
      ? `line "${line.name}": its product (id ${line.remoteProductId}) was deleted in the shop, so it cannot be matched`
      : `line "${line.name}": its product (id ${line.remoteProductId}) has no SKU to match a POS product`;
  }
  if (item === 'variable') return `line "${line.name}": SKU ${line.sku} is a variable product in the POS, not one of its variants`;
  return undefined;
}

function skipReason(status: string): string {
  if (['cancelled', 'refunded', 'failed'].includes(status)) return `status ${status}: WooCommerce gave its stock back, so nothing is deducted`;
  return `status ${status}: the order holds no stock yet; it is deducted when it is paid`;
}

function linkRows(connectionId: string, item: StockItem, line: RemoteOrderLine): Record<string, unknown>[] {
  if (item.variantId === null) {
    return [{ connection_id: connectionId, product_id: item.productId, variant_id: null, remote_id: line.remoteProductId, remote_parent_id: null }];
  }
  return [
    { connection_id: connectionId, product_id: item.productId, variant_id: null, remote_id: line.remoteProductId, remote_parent_id: null },
    { connection_id: connectionId, product_id: item.productId, variant_id: item.variantId, remote_id: line.remoteVariationId, remote_parent_id: line.remoteProductId },
  ];
}

async function createFromLine(trx: Knex.Transaction, line: RemoteOrderLine): Promise<StockItem> {
  const [p] = await trx('products').insert({
    sku: line.sku, type: 'simple', name: line.name || line.sku, retail_price: line.price, channels: ['in_store', 'online'],
  }, ['id']);
  return { sku: line.sku!, productId: p.id, variantId: null };
}

function gmt(s: string): string | null {
  return s ? (s.endsWith('Z') ? s : `${s}Z`) : null;
}

