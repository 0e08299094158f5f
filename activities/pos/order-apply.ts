import type { Knex } from 'knex';
import { holdsStock, itemKey, stockDeltas, sumByItem, type ItemQuantity } from '../../domain/order-stock';
import type { RemoteOrder, RemoteOrderLine } from '../../domain/remote-order';
import { markProductsChanged } from './change-feed';
import type { ConnectionInfo } from './connections';
import { lockRemoteOrders } from './order-locks';
import { createFromShop, seededItems } from './shop-items';
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

export type ResolvedLine = StockItem | 'variable' | { problem: string };
type Resolved = ResolvedLine;

/**
 * What differs between shops in applying their orders: how a line finds its POS item, what a
 * match leaves behind (links), and what an order with an unmatched line does.
 */
export interface OrderChannel {
  /** stock_movements.reference_type of the movements. */
  referenceType: string;
  /** Prepares the lookups for these orders (in the transaction) and returns the per-line resolver. */
  resolver(trx: Knex.Transaction, connection: ConnectionInfo, orders: RemoteOrder[], summary: ApplySummary): Promise<(line: RemoteOrderLine) => Promise<Resolved | undefined>>;
  /** Link rows a line's match creates (WooCommerce links by SKU, M-B5); none when absent. */
  linkRows?(connectionId: string, item: StockItem, line: RemoteOrderLine): Record<string, unknown>[];
  /**
   * 'fail-order' (M-B7): an order with an unmatched line moves nothing. 'apply-matched': the
   * matched lines move stock (they were sold), the order is recorded failed with the reason.
   */
  unmatched: 'fail-order' | 'apply-matched';
}

/**
 * WooCommerce: lines by SKU; a SKU the POS lacks is created from the shop (M-B6); a SKU match
 * is linked (M-B5); an order with a line that cannot be matched fails alone (M-B7).
 */
export const wooOrderChannel: OrderChannel = {
  referenceType: 'woo_order',
  unmatched: 'fail-order',
  async resolver(trx, connection, orders, summary) {
    const skus = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.sku).filter((s): s is string => !!s)))];
    const items: Map<string, Resolved> = await resolveSkus(trx, skus);
    return async (line) => {
      if (!line.sku) return undefined;
      let item = items.get(line.sku);
      if (item === undefined) {
        item = await createFromShop(trx, connection, line); // M-B6
        items.set(line.sku, item);
        if (!('problem' in item)) summary.created += 1;
      }
      return item;
    };
  },
  linkRows,
};

/**
 * Applies shop orders to the POS in the caller's transaction. Each order moves stock at the
 * connection's outlet (M-B4) by the difference between what the shop holds out for it now
 * (M-B10, domain/order-stock.ts) and what it already moved, so applying the same order again
 * changes nothing (M-B8 beyond). Orders are locked first (even ones never seen), so concurrent
 * deliveries and polls of one order apply its effect once (issue 7.1).
 */
export async function applyRemoteOrders(
  trx: Knex.Transaction,
  connection: ConnectionInfo,
  orders: RemoteOrder[],
  opts: { mode: ApplyMode; importRunId?: number | null; channel?: OrderChannel },
): Promise<ApplySummary> {
  const channel = opts.channel ?? wooOrderChannel;
  const summary: ApplySummary = { orders: orders.length, imported: 0, skipped: 0, failed: 0, linked: 0, created: 0, deducted: 0, failures: [], productIds: [] };
  if (orders.length === 0) return summary;
  const ids = orders.map((o) => o.id);
  await lockRemoteOrders(trx, connection.id, ids);
  const existing = new Map<number, { applied: ItemQuantity[]; modified: number | null }>(
    (
      await trx('remote_orders').where({ connection_id: connection.id }).whereIn('remote_order_id', ids)
        .select('remote_order_id', 'applied', 'date_modified_gmt')
    ).map((r) => [Number(r.remote_order_id), { applied: r.applied as ItemQuantity[], modified: r.date_modified_gmt ? new Date(r.date_modified_gmt).getTime() : null }]),
  );
  const touched = new Set<number>();
  const deltas: { productId: number; variantId: number | null; delta: number; referenceId: string; note: string }[] = [];
  const rows = new Map<number, Record<string, unknown>>();
  const links: Record<string, unknown>[] = [];
  const resolveLine = await channel.resolver(trx, connection, orders, summary);

  for (const order of orders) {
    const prior = existing.get(order.id);
    const modified = Date.parse(gmt(order.dateModifiedGmt) ?? '') || null;
    if (prior?.modified && modified && modified < prior.modified) {
      // An older read of the order than the one applied (a slow poll page racing a webhook): the newer one stands.
      summary.skipped += 1;
      continue;
    }
    const holds = holdsStock(order.lines);
    const resolved: { line: RemoteOrderLine; item: Resolved | undefined }[] = [];
    for (const line of order.lines) resolved.push({ line, item: await resolveLine(line) });
    const problems = resolved.map((r) => lineProblem(r.line, r.item)).filter((p): p is string => p !== undefined);
    let outcome: OrderOutcome['outcome'];
    let reason = '';
    let wanted: ItemQuantity[];
    if (problems.length > 0 && holds && channel.unmatched === 'fail-order') {
      // M-B7: the order fails alone, with its reason; what it deducted before stays as it was.
      outcome = 'failed';
      reason = problems[0]!;
      wanted = prior?.applied ?? [];
    } else {
      const quantities: Omit<ItemQuantity, 'key'>[] = [];
      for (const { line, item } of resolved) {
        if (!item || item === 'variable' || 'problem' in item) continue;
        quantities.push({ productId: item.productId, variantId: item.variantId, quantity: line.reducedStock });
        if (channel.linkRows) links.push(...channel.linkRows(connection.id, item, line));
      }
      wanted = sumByItem(quantities);
      if (problems.length > 0 && holds) {
        // The matched lines were sold and moved stock; the order stays failed until every line matches.
        outcome = 'failed';
        reason = `${problems.join('; ')} (the other lines were applied)`;
      } else {
        outcome = holds ? 'imported' : 'skipped';
        reason = holds ? '' : skipReason(order.status);
      }
    }
    const baseline = await alreadyInShopStock(trx, connection.id, prior?.applied ?? [], wanted, modified);
    for (const d of stockDeltas(baseline, wanted)) {
      deltas.push({ productId: d.productId, variantId: d.variantId, delta: d.quantity, referenceId: `${connection.id}:${order.id}`, note: `order ${order.id} (${order.status})` });
      touched.add(d.productId);
      summary.deducted -= d.quantity;
    }
    existing.set(order.id, { applied: wanted, modified });
    summary[outcome] += 1;
    if (outcome === 'failed') summary.failures.push({ orderId: order.id, reason });
    rows.set(order.id, {
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
    kind: opts.mode === 'sync' ? 'order_sync' : 'order_import', referenceType: channel.referenceType, registerId: connection.registerId,
  });
  if (rows.size > 0) await trx('remote_orders').insert([...rows.values()]).onConflict(['connection_id', 'remote_order_id']).merge();
  summary.productIds = [...touched].sort((a, b) => a - b);
  if (opts.mode === 'sync') await markProductsChanged(trx, summary.productIds, 'order_sync');
  return summary;
}

/**
 * The applied quantities to diff against. An item created from the shop started with the shop's
 * stock level, which already held out what each order had taken when it was read; an order first
 * seen for that item, and not changed since, is recorded without moving stock again (issue 6.9).
 */
async function alreadyInShopStock(
  trx: Knex.Transaction, connectionId: string, applied: ItemQuantity[], wanted: ItemQuantity[], modified: number | null,
): Promise<ItemQuantity[]> {
  const fresh = wanted.filter((w) => !applied.some((a) => a.key === w.key));
  if (fresh.length === 0 || modified === null) return applied;
  const seeded = await seededItems(trx, connectionId, fresh.map((w) => w.productId));
  const inStock = fresh.filter((w) => {
    const at = seeded.get(itemKey(w.productId, w.variantId));
    return at !== undefined && modified <= at;
  });
  return inStock.length === 0 ? applied : [...applied, ...inStock];
}

function lineProblem(line: RemoteOrderLine, item: Resolved | undefined): string | undefined {
  if (item && item !== 'variable' && !('problem' in item)) return undefined;
  if (item && typeof item === 'object' && 'problem' in item) return item.problem;
  if (line.sku === null || line.sku === '') {
    return line.sku === null
      ? `line "${line.name}": its product (id ${line.remoteProductId}) was deleted in the shop, so it cannot be matched`
      : `line "${line.name}": its product (id ${line.remoteProductId}) has no SKU to match a POS product`;
  }
  if (item === 'variable') return `line "${line.name}": SKU ${line.sku} is a variable product in the POS, not one of its variants`;
  return undefined;
}

function skipReason(status: string): string {
  return `status ${status}: the shop holds no stock out for this order, so nothing is deducted`;
}

function linkRows(connectionId: string, item: StockItem, line: RemoteOrderLine): Record<string, unknown>[] {
  if (item.variantId === null) {
    // A simple POS product is never linked to a shop variation's parent (issue 6.10).
    if (line.remoteVariationId) return [];
    return [{ connection_id: connectionId, product_id: item.productId, variant_id: null, remote_id: line.remoteProductId, remote_parent_id: null }];
  }
  return [
    { connection_id: connectionId, product_id: item.productId, variant_id: null, remote_id: line.remoteProductId, remote_parent_id: null },
    { connection_id: connectionId, product_id: item.productId, variant_id: item.variantId, remote_id: line.remoteVariationId, remote_parent_id: line.remoteProductId },
  ];
}

function gmt(s: string): string | null {
  return s ? (s.endsWith('Z') ? s : `${s}Z`) : null;
}
