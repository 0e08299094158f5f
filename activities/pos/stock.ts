import type { Knex } from 'knex';
import { markChangedCtes, type ChangeReason } from './change-feed';

export type MovementKind =
  | 'sale' | 'refund' | 'exchange' | 'count' | 'stock_order' | 'transfer_out' | 'transfer_in'
  | 'adjustment' | 'order_import' | 'order_sync' | 'restore' | 'initial';

/** A sellable item: a simple product, or one variant of a variable product. */
export interface StockItem {
  sku: string;
  productId: number;
  variantId: number | null;
}

export interface StockChange {
  item: StockItem;
  outletId: number;
  /** Either a relative change or an absolute level (a stock count). */
  delta?: number;
  setTo?: number;
}

export interface MovementContext {
  kind: MovementKind;
  registerId?: number | null;
  referenceType?: string;
  referenceId?: string;
  note?: string;
}

export class UnknownSkuError extends Error {
  override name = 'UnknownSkuError';
  constructor(public readonly sku: string, detail: string) {
    super(detail);
  }
}

/** Products and variants by SKU (parameters: the SKU array, twice). */
const ITEMS_BY_SKU_SQL = `SELECT sku, id AS product_id, NULL::int AS variant_id, type FROM products WHERE sku = ANY(?)
       UNION ALL
       SELECT sku, product_id, id, 'variant' FROM variants WHERE sku = ANY(?)`;

type ItemRow = { sku: string | null; product_id: number | null; variant_id: number | null; type: string | null };

function toItems(rows: ItemRow[]): Map<string, StockItem | 'variable'> {
  const out = new Map<string, StockItem | 'variable'>();
  for (const r of rows) {
    if (r.sku === null || r.product_id === null) continue;
    out.set(r.sku, r.type === 'variable' ? 'variable' : { sku: r.sku, productId: r.product_id, variantId: r.variant_id });
  }
  return out;
}

/** Finds the sellable items for SKUs; a variable product's own SKU is not sellable. */
export async function resolveSkus(trx: Knex | Knex.Transaction, skus: string[]): Promise<Map<string, StockItem | 'variable'>> {
  const unique = [...new Set(skus)];
  if (unique.length === 0) return new Map();
  return toItems((await trx.raw(ITEMS_BY_SKU_SQL, [unique, unique])).rows);
}

/** The outlet of a register (undefined if there is none) and the items for SKUs, in one round trip. */
export async function resolveSkusAtRegister(
  trx: Knex | Knex.Transaction, registerId: number, skus: string[],
): Promise<{ outletId: number | undefined; registerActive: boolean; items: Map<string, StockItem | 'variable'> }> {
  const unique = [...new Set(skus)];
  const rows: (ItemRow & { outlet_id: number | null; register_active: boolean | null })[] = (
    await trx.raw(
      `SELECT r.outlet_id, r.active AS register_active, s.* FROM (SELECT 1) one
         LEFT JOIN registers r ON r.id = ?
         LEFT JOIN (${ITEMS_BY_SKU_SQL}) s ON true`,
      [registerId, unique, unique],
    )
  ).rows;
  return { outletId: rows[0]?.outlet_id ?? undefined, registerActive: rows[0]?.register_active === true, items: toItems(rows) };
}

/**
 * Applies stock changes and writes one movement per change. Rows are locked in a fixed
 * order so concurrent sales of the same items cannot deadlock.
 */
export async function applyStockChanges(
  trx: Knex.Transaction,
  changes: StockChange[],
  ctx: MovementContext,
): Promise<{ productIds: number[]; levels: { sku: string; outletId: number; quantity: number }[] }> {
  const sorted = [...changes].sort(
    (a, b) => a.outletId - b.outletId || a.item.productId - b.item.productId || (a.item.variantId ?? 0) - (b.item.variantId ?? 0),
  );
  const movements: Record<string, unknown>[] = [];
  const levels: { sku: string; outletId: number; quantity: number }[] = [];
  for (const c of sorted) {
    if (c.setTo === undefined) {
      // A relative change needs no read first: the upsert returns the new level.
      const delta = c.delta ?? 0;
      const res = await trx.raw(
        `INSERT INTO inventory (outlet_id, product_id, variant_id, quantity) VALUES (?, ?, ?, ?)
         ON CONFLICT (outlet_id, product_id, (coalesce(variant_id, 0)))
         DO UPDATE SET quantity = inventory.quantity + EXCLUDED.quantity, updated_at = now()
         RETURNING quantity`,
        [c.outletId, c.item.productId, c.item.variantId, delta],
      );
      const after = Number(res.rows[0].quantity);
      levels.push({ sku: c.item.sku, outletId: c.outletId, quantity: after });
      movements.push({
        kind: ctx.kind, outlet_id: c.outletId, product_id: c.item.productId, variant_id: c.item.variantId,
        delta, quantity_after: after, register_id: ctx.registerId ?? null,
        reference_type: ctx.referenceType ?? null, reference_id: ctx.referenceId ?? null, note: ctx.note ?? null,
      });
      continue;
    }
    const current = await trx('inventory')
      .where({ outlet_id: c.outletId, product_id: c.item.productId })
      .whereRaw('coalesce(variant_id, 0) = ?', [c.item.variantId ?? 0])
      .forUpdate()
      .first('quantity');
    const before = current ? Number(current.quantity) : 0;
    const after = c.setTo !== undefined ? c.setTo : before + (c.delta ?? 0);
    await trx.raw(
      `INSERT INTO inventory (outlet_id, product_id, variant_id, quantity) VALUES (?, ?, ?, ?)
       ON CONFLICT (outlet_id, product_id, (coalesce(variant_id, 0)))
       DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()`,
      [c.outletId, c.item.productId, c.item.variantId, after],
    );
    levels.push({ sku: c.item.sku, outletId: c.outletId, quantity: after });
    movements.push({
      kind: ctx.kind, outlet_id: c.outletId, product_id: c.item.productId, variant_id: c.item.variantId,
      delta: after - before, quantity_after: after, register_id: ctx.registerId ?? null,
      reference_type: ctx.referenceType ?? null, reference_id: ctx.referenceId ?? null, note: ctx.note ?? null,
    });
  }
  if (movements.length > 0) await trx('stock_movements').insert(movements);
  return { productIds: [...new Set(sorted.map((c) => c.item.productId))], levels };
}

/** A relative change; an order page names the order of each movement itself. */
export interface DeltaChange extends StockChange {
  referenceId?: string;
  note?: string;
}

/**
 * Relative changes (sales, refunds, receipts, order pages) in one statement: the inventory
 * upsert, one movement per change with its level after, and, given a reason, the products
 * marked changed (M-A2). Inventory rows and then products are locked in a fixed order, as in
 * applyStockChanges.
 */
export async function applyDeltas(
  trx: Knex.Transaction,
  changes: DeltaChange[],
  ctx: MovementContext,
  markReason?: ChangeReason,
): Promise<{ productIds: number[]; levels: { sku: string; outletId: number; quantity: number }[]; signal: number[] }> {
  if (changes.length === 0) return { productIds: [], levels: [], signal: [] };
  const input = changes.map((c, ord) => ({
    ord, sku: c.item.sku, outlet_id: c.outletId, product_id: c.item.productId, variant_id: c.item.variantId, delta: c.delta ?? 0,
    reference_id: c.referenceId ?? ctx.referenceId ?? null, note: c.note ?? ctx.note ?? null,
  }));
  const mark = markReason
    ? `, changed AS (SELECT DISTINCT product_id FROM sums), ${markChangedCtes('changed', '?')}`
    : ', to_signal AS (SELECT NULL::int AS product_id WHERE false)';
  type Row = { ord: number | null; sku: string | null; outlet_id: number | null; quantity: number | null; signal: number | null };
  const rows: Row[] = (
    await trx.raw(
      `WITH x AS (
         SELECT * FROM jsonb_to_recordset(?::jsonb)
           AS x(ord int, sku text, outlet_id int, product_id int, variant_id int, delta int, reference_id text, note text)
       ),
       sums AS (SELECT outlet_id, product_id, variant_id, sum(delta)::int AS delta FROM x GROUP BY 1, 2, 3),
       inv AS (
         INSERT INTO inventory (outlet_id, product_id, variant_id, quantity)
         SELECT outlet_id, product_id, variant_id, delta FROM sums ORDER BY outlet_id, product_id, coalesce(variant_id, 0)
         ON CONFLICT (outlet_id, product_id, (coalesce(variant_id, 0)))
         DO UPDATE SET quantity = inventory.quantity + EXCLUDED.quantity, updated_at = now()
         RETURNING outlet_id, product_id, variant_id, quantity
       ),
       -- The level after each change: the final level minus the later changes of the same item.
       lv AS (
         SELECT x.*, inv.quantity - coalesce(sum(x.delta) OVER (
                  PARTITION BY x.outlet_id, x.product_id, coalesce(x.variant_id, 0) ORDER BY x.ord DESC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS quantity_after
           FROM x JOIN inv ON inv.outlet_id = x.outlet_id AND inv.product_id = x.product_id
                          AND coalesce(inv.variant_id, 0) = coalesce(x.variant_id, 0)
       ),
       mov AS (
         INSERT INTO stock_movements (kind, outlet_id, product_id, variant_id, delta, quantity_after, register_id, reference_type, reference_id, note)
         SELECT ?, outlet_id, product_id, variant_id, delta, quantity_after, ?, ?, reference_id, note FROM lv ORDER BY ord
       )${mark}
       SELECT ord, sku, outlet_id, quantity_after AS quantity, NULL::int AS signal FROM lv
       UNION ALL
       SELECT NULL, NULL, NULL, NULL, product_id FROM to_signal`,
      [JSON.stringify(input), ctx.kind, ctx.registerId ?? null, ctx.referenceType ?? null, ...(markReason ? [markReason] : [])],
    )
  ).rows;
  // Levels in the order applyStockChanges gives them: by outlet, then item.
  const key = (c: StockChange) => [c.outletId, c.item.productId, c.item.variantId ?? 0];
  const levels = rows
    .filter((r) => r.ord !== null)
    .sort((a, b) => {
      const [ka, kb] = [key(changes[a.ord!]!), key(changes[b.ord!]!)];
      return ka[0]! - kb[0]! || ka[1]! - kb[1]! || ka[2]! - kb[2]! || a.ord! - b.ord!;
    })
    .map((r) => ({ sku: r.sku!, outletId: r.outlet_id!, quantity: Number(r.quantity) }));
  return {
    productIds: [...new Set(changes.map((c) => c.item.productId))].sort((a, b) => a - b),
    levels,
    signal: rows.filter((r) => r.signal !== null).map((r) => r.signal!),
  };
}

export interface BulkDelta {
  productId: number;
  variantId: number | null;
  delta: number;
  referenceId: string;
  note?: string;
}

/** Many deltas at one outlet (an order page), each movement referring to its own order. */
export async function applyStockDeltasBulk(
  trx: Knex.Transaction,
  outletId: number,
  deltas: BulkDelta[],
  ctx: { kind: MovementKind; referenceType: string; registerId?: number | null },
): Promise<void> {
  const moving = deltas.filter((d) => d.delta !== 0);
  await applyDeltas(
    trx,
    moving.map((d) => ({ item: { sku: '', productId: d.productId, variantId: d.variantId }, outletId, delta: d.delta, referenceId: d.referenceId, note: d.note })),
    ctx,
  );
}

/**
 * Locks, up front and in the one order every operation uses (inventory rows by outlet, product,
 * variant; then products by id), everything a catalog write (a CSV import) will touch for these
 * SKUs. Without it the import would lock products in file order and then stock rows, the
 * reverse of a sale, and the two could deadlock (issue 7.10).
 */
export async function lockCatalogRows(trx: Knex.Transaction, skus: string[]): Promise<void> {
  if (skus.length === 0) return;
  const ids = `SELECT id FROM products WHERE sku = ANY(?) UNION SELECT product_id FROM variants WHERE sku = ANY(?)`;
  await trx.raw(
    `SELECT 1 FROM inventory WHERE product_id IN (${ids}) ORDER BY outlet_id, product_id, coalesce(variant_id, 0) FOR UPDATE`,
    [skus, skus],
  );
  await trx.raw(`SELECT 1 FROM products WHERE id IN (${ids}) ORDER BY id FOR UPDATE`, [skus, skus]);
}
