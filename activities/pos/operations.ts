import type { Knex } from 'knex';
import { InvalidOperationError } from './errors';
import { markProductsChanged, type ChangeReason } from './change-feed';
import { applyDeltas, applyStockChanges, resolveSkus, resolveSkusAtRegister, type MovementKind, type StockChange, type StockItem } from './stock';

/**
 * The POS operations that move stock (M-A2). Each runs inside the caller's transaction,
 * refuses bad input before writing anything, and marks the touched products changed so
 * their pushes follow the commit.
 */

export interface OperationResult {
  id: number;
  levels: { sku: string; outletId: number; quantity: number }[];
  productIds: number[];
  signal: number[];
}

interface Line {
  sku: string;
  quantity: number;
}

async function registerOutlet(trx: Knex.Transaction, registerId: number): Promise<number> {
  const r = await trx('registers').where({ id: registerId }).first('outlet_id', 'active');
  if (!r) throw new InvalidOperationError('register_id', `register ${registerId} does not exist`);
  if (!r.active) throw deactivatedRegister(registerId);
  return r.outlet_id;
}

const deactivatedRegister = (registerId: number) =>
  new InvalidOperationError('register_id', `register ${registerId} is deactivated and records no sales; use an active register (GET /api/registers)`);

async function assertOutlet(trx: Knex.Transaction, outletId: number, field: string): Promise<void> {
  const o = await trx('outlets').where({ id: outletId }).first('id');
  if (!o) throw new InvalidOperationError(field, `outlet ${outletId} does not exist`);
}

/** Resolves every line's SKU to a sellable item, naming the first line that does not resolve. */
async function itemsFor(trx: Knex.Transaction, lines: { sku: string }[], field: string): Promise<StockItem[]> {
  return checkItems(await resolveSkus(trx, lines.map((l) => l.sku)), lines, field);
}

/** The register's outlet and the lines' items, in one round trip (sales, refunds, exchanges). */
async function atRegister(trx: Knex.Transaction, registerId: number, lines: { sku: string }[], field: string): Promise<{ outletId: number; items: StockItem[] }> {
  const { outletId, registerActive, items } = await resolveSkusAtRegister(trx, registerId, lines.map((l) => l.sku));
  if (outletId === undefined) throw new InvalidOperationError('register_id', `register ${registerId} does not exist`);
  if (!registerActive) throw deactivatedRegister(registerId);
  return { outletId, items: checkItems(items, lines, field) };
}

function checkItems(found: Map<string, StockItem | 'variable'>, lines: { sku: string }[], field: string): StockItem[] {
  return lines.map((l, i) => {
    const item = found.get(l.sku);
    if (item === undefined) throw new InvalidOperationError(`${field}[${i}].sku`, `no product or variant has SKU "${l.sku}"`);
    if (item === 'variable') {
      throw new InvalidOperationError(`${field}[${i}].sku`, `"${l.sku}" is a variable product; use the SKU of one of its variants`);
    }
    return item;
  });
}

async function finish(
  trx: Knex.Transaction, id: number, changes: StockChange[], kind: MovementKind, reason: ChangeReason,
  ref: { registerId?: number; type: string },
): Promise<OperationResult> {
  const ctx = { kind, registerId: ref.registerId ?? null, referenceType: ref.type, referenceId: String(id) };
  if (changes.every((c) => c.setTo === undefined)) {
    // The hot path (every sale): one statement instead of one per change.
    const { productIds, levels, signal } = await applyDeltas(trx, changes, ctx, reason);
    return { id, levels, productIds, signal };
  }
  const { productIds, levels } = await applyStockChanges(trx, changes, ctx);
  const signal = await markProductsChanged(trx, productIds, reason);
  return { id, levels, productIds, signal };
}

function total(lines: { quantity: number; price?: number }[]): number {
  return lines.reduce((s, l) => s + l.quantity * (l.price ?? 0), 0);
}

export async function recordSale(trx: Knex.Transaction, body: { register_id: number; reference?: string; lines: (Line & { price?: number })[] }): Promise<OperationResult> {
  const { outletId, items } = await atRegister(trx, body.register_id, body.lines, 'lines');
  const [sale] = await trx('sales').insert({
    kind: 'sale', register_id: body.register_id, outlet_id: outletId, reference: body.reference ?? null, lines: JSON.stringify(body.lines), total: total(body.lines),
  }, ['id']);
  const changes = items.map((item, i) => ({ item, outletId, delta: -body.lines[i]!.quantity }));
  return finish(trx, sale.id, changes, 'sale', 'sale', { registerId: body.register_id, type: 'sale' });
}

async function assertOriginal(trx: Knex.Transaction, id: number | undefined): Promise<void> {
  if (id === undefined) return;
  const s = await trx('sales').where({ id, kind: 'sale' }).first('id');
  if (!s) throw new InvalidOperationError('original_sale_id', `sale ${id} does not exist`);
}

export async function recordRefund(
  trx: Knex.Transaction, body: { register_id: number; original_sale_id?: number; reference?: string; lines: (Line & { price?: number })[] },
): Promise<OperationResult> {
  const outletId = await registerOutlet(trx, body.register_id);
  await assertOriginal(trx, body.original_sale_id);
  const items = await itemsFor(trx, body.lines, 'lines');
  const [sale] = await trx('sales').insert({
    kind: 'refund', register_id: body.register_id, outlet_id: outletId, original_sale_id: body.original_sale_id ?? null, reference: body.reference ?? null,
    lines: JSON.stringify(body.lines), total: -total(body.lines),
  }, ['id']);
  const changes = items.map((item, i) => ({ item, outletId, delta: body.lines[i]!.quantity }));
  return finish(trx, sale.id, changes, 'refund', 'refund', { registerId: body.register_id, type: 'refund' });
}

export async function recordExchange(
  trx: Knex.Transaction,
  body: { register_id: number; original_sale_id?: number; reference?: string; returned: (Line & { price?: number })[]; sold: (Line & { price?: number })[] },
): Promise<OperationResult> {
  const outletId = await registerOutlet(trx, body.register_id);
  await assertOriginal(trx, body.original_sale_id);
  const back = await itemsFor(trx, body.returned, 'returned');
  const out = await itemsFor(trx, body.sold, 'sold');
  const [sale] = await trx('sales').insert({
    kind: 'exchange', register_id: body.register_id, outlet_id: outletId, original_sale_id: body.original_sale_id ?? null, reference: body.reference ?? null,
    lines: JSON.stringify({ returned: body.returned, sold: body.sold }), total: total(body.sold) - total(body.returned),
  }, ['id']);
  const changes = mergeChanges([
    ...back.map((item, i) => ({ item, outletId, delta: body.returned[i]!.quantity })),
    ...out.map((item, i) => ({ item, outletId, delta: -body.sold[i]!.quantity })),
  ]);
  return finish(trx, sale.id, changes, 'exchange', 'exchange', { registerId: body.register_id, type: 'exchange' });
}

async function stockDocument(
  trx: Knex.Transaction, kind: 'count' | 'stock_order' | 'transfer' | 'adjustment', outletId: number, lines: unknown,
  extra: { source_outlet_id?: number; reference?: string; note?: string } = {},
): Promise<number> {
  const [doc] = await trx('stock_documents').insert({ kind, outlet_id: outletId, lines: JSON.stringify(lines), ...extra }, ['id']);
  return doc.id;
}

export async function completeStockCount(trx: Knex.Transaction, body: { outlet_id: number; note?: string; lines: { sku: string; counted: number }[] }): Promise<OperationResult> {
  await assertOutlet(trx, body.outlet_id, 'outlet_id');
  const items = await itemsFor(trx, body.lines, 'lines');
  assertDistinct(items, 'lines');
  const id = await stockDocument(trx, 'count', body.outlet_id, body.lines, { note: body.note });
  const changes = items.map((item, i) => ({ item, outletId: body.outlet_id, setTo: body.lines[i]!.counted }));
  return finish(trx, id, changes, 'count', 'stock_count', { type: 'stock_count' });
}

export async function receiveStockOrder(
  trx: Knex.Transaction, body: { outlet_id: number; reference?: string; supplier?: string; lines: { sku: string; received: number }[] },
): Promise<OperationResult> {
  await assertOutlet(trx, body.outlet_id, 'outlet_id');
  const items = await itemsFor(trx, body.lines, 'lines');
  const id = await stockDocument(trx, 'stock_order', body.outlet_id, body.lines, { reference: body.reference, note: body.supplier });
  const changes = mergeChanges(items.map((item, i) => ({ item, outletId: body.outlet_id, delta: body.lines[i]!.received })));
  return finish(trx, id, changes, 'stock_order', 'stock_order', { type: 'stock_order' });
}

export async function completeStockTransfer(
  trx: Knex.Transaction, body: { from_outlet_id: number; to_outlet_id: number; note?: string; lines: Line[] },
): Promise<OperationResult> {
  await assertOutlet(trx, body.from_outlet_id, 'from_outlet_id');
  await assertOutlet(trx, body.to_outlet_id, 'to_outlet_id');
  const items = await itemsFor(trx, body.lines, 'lines');
  const id = await stockDocument(trx, 'transfer', body.to_outlet_id, body.lines, { source_outlet_id: body.from_outlet_id, note: body.note });
  const out = mergeChanges(items.map((item, i) => ({ item, outletId: body.from_outlet_id, delta: -body.lines[i]!.quantity })));
  const into = mergeChanges(items.map((item, i) => ({ item, outletId: body.to_outlet_id, delta: body.lines[i]!.quantity })));
  // Inventory rows are locked outlet by outlet in ascending id order, as every other operation does (issue 7.10).
  const apply = (changes: StockChange[], kind: 'transfer_out' | 'transfer_in') =>
    applyStockChanges(trx, changes, { kind, referenceType: 'stock_transfer', referenceId: String(id) });
  let a, b;
  if (body.from_outlet_id < body.to_outlet_id) {
    a = await apply(out, 'transfer_out');
    b = await apply(into, 'transfer_in');
  } else {
    b = await apply(into, 'transfer_in');
    a = await apply(out, 'transfer_out');
  }
  const productIds = [...new Set([...a.productIds, ...b.productIds])];
  const signal = await markProductsChanged(trx, productIds, 'stock_transfer');
  return { id, levels: [...a.levels, ...b.levels], productIds, signal };
}

export async function completeStockAdjustment(
  trx: Knex.Transaction, body: { outlet_id: number; reason: string; lines: { sku: string; delta: number }[] },
): Promise<OperationResult> {
  await assertOutlet(trx, body.outlet_id, 'outlet_id');
  const items = await itemsFor(trx, body.lines, 'lines');
  const id = await stockDocument(trx, 'adjustment', body.outlet_id, body.lines, { note: body.reason });
  const changes = mergeChanges(items.map((item, i) => ({ item, outletId: body.outlet_id, delta: body.lines[i]!.delta })));
  return finish(trx, id, changes, 'adjustment', 'stock_adjustment', { type: 'stock_adjustment' });
}

/** Lines naming the same item at the same outlet become one change. */
export function mergeChanges(changes: StockChange[]): StockChange[] {
  const byKey = new Map<string, StockChange>();
  for (const c of changes) {
    const key = `${c.outletId}:${c.item.productId}:${c.item.variantId ?? 0}`;
    const prev = byKey.get(key);
    if (prev) prev.delta = (prev.delta ?? 0) + (c.delta ?? 0);
    else byKey.set(key, { ...c });
  }
  return [...byKey.values()];
}

function assertDistinct(items: StockItem[], field: string): void {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.sku)) throw new InvalidOperationError(`${field}[${i}].sku`, `"${it.sku}" is counted twice`);
    seen.add(it.sku);
  });
}
