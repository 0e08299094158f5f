import type { Knex } from 'knex';

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

/** Finds the sellable items for SKUs; a variable product's own SKU is not sellable. */
export async function resolveSkus(trx: Knex | Knex.Transaction, skus: string[]): Promise<Map<string, StockItem | 'variable'>> {
  const unique = [...new Set(skus)];
  const out = new Map<string, StockItem | 'variable'>();
  if (unique.length === 0) return out;
  const rows: { sku: string; product_id: number; variant_id: number | null; type: string }[] = (
    await trx.raw(
      `SELECT sku, id AS product_id, NULL::int AS variant_id, type FROM products WHERE sku = ANY(?)
       UNION ALL
       SELECT sku, product_id, id, 'variant' FROM variants WHERE sku = ANY(?)`,
      [unique, unique],
    )
  ).rows;
  for (const r of rows) out.set(r.sku, r.type === 'variable' ? 'variable' : { sku: r.sku, productId: r.product_id, variantId: r.variant_id });
  return out;
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

export interface BulkDelta {
  productId: number;
  variantId: number | null;
  delta: number;
  referenceId: string;
  note?: string;
}

/**
 * Many deltas at one outlet in two statements: one upsert of the summed deltas per item and
 * one insert of the movements. For order pages, where a per-row read-then-write is too slow.
 */
export async function applyStockDeltasBulk(
  trx: Knex.Transaction,
  outletId: number,
  deltas: BulkDelta[],
  ctx: { kind: MovementKind; referenceType: string; registerId?: number | null },
): Promise<void> {
  const moving = deltas.filter((d) => d.delta !== 0);
  if (moving.length === 0) return;
  const sums = new Map<string, { product_id: number; variant_id: number | null; delta: number }>();
  for (const d of moving) {
    const key = `${d.productId}:${d.variantId ?? 0}`;
    const s = sums.get(key) ?? { product_id: d.productId, variant_id: d.variantId, delta: 0 };
    s.delta += d.delta;
    sums.set(key, s);
  }
  const items = [...sums.values()].sort((a, b) => a.product_id - b.product_id || (a.variant_id ?? 0) - (b.variant_id ?? 0));
  const rows: { product_id: number; variant_id: number | null; quantity: number }[] = (
    await trx.raw(
      `INSERT INTO inventory (outlet_id, product_id, variant_id, quantity)
       SELECT ?, x.product_id, x.variant_id, x.delta FROM jsonb_to_recordset(?::jsonb) AS x(product_id int, variant_id int, delta int)
       ON CONFLICT (outlet_id, product_id, (coalesce(variant_id, 0)))
       DO UPDATE SET quantity = inventory.quantity + EXCLUDED.quantity, updated_at = now()
       RETURNING product_id, variant_id, quantity`,
      [outletId, JSON.stringify(items)],
    )
  ).rows;
  // quantity_after of each movement: walk back from the final level through the later deltas.
  const level = new Map(rows.map((r) => [`${r.product_id}:${r.variant_id ?? 0}`, Number(r.quantity)]));
  const after: number[] = new Array(moving.length);
  for (let i = moving.length - 1; i >= 0; i--) {
    const d = moving[i]!;
    const key = `${d.productId}:${d.variantId ?? 0}`;
    const q = level.get(key)!;
    after[i] = q;
    level.set(key, q - d.delta);
  }
  const movements = moving.map((d, i) => ({
    kind: ctx.kind, outlet_id: outletId, product_id: d.productId, variant_id: d.variantId, delta: d.delta,
    quantity_after: after[i], register_id: ctx.registerId ?? null, reference_type: ctx.referenceType,
    reference_id: d.referenceId, note: d.note ?? null,
  }));
  for (let i = 0; i < movements.length; i += 1000) await trx('stock_movements').insert(movements.slice(i, i + 1000));
}
