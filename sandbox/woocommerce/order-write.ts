// prepare_object_for_database of the orders controller: the writable props of a request applied to
// a draft order (addresses key by key, meta, items), and calculate_totals. Works on a copy: nothing
// is stored when it throws.
import { absint, asRecord, isSet, phpStrval } from './coerce';
import { dropNullMeta, updateMeta } from './meta-list';
import { phpRound } from './money';
import { applyItemList, checkCoupons } from './order-lines';
import { BILLING_KEYS, type LineItem, type OrderRecord, SHIPPING_KEYS } from './order-model';
import { wcClean } from './sanitize';
import type { Store } from './store';
import type { Params } from './write-common';

export interface OrderWriteEnv {
  store: Store;
  now: number;
  allocateOrderMeta(): number;
}

/** update_address(): only the keys the order has a setter for. */
function applyAddress(target: Record<string, string>, keys: readonly string[], value: unknown): void {
  const posted = asRecord(value);
  if (!posted) return;
  for (const [k, v] of Object.entries(posted)) if (keys.includes(k)) target[k] = phpStrval(v);
}

function applyOrderMeta(w: OrderWriteEnv, o: OrderRecord, value: unknown): void {
  if (!Array.isArray(value)) return;
  let list = o.meta;
  for (const raw of value) {
    const m = asRecord(raw);
    if (!m || !isSet(m.key)) continue;
    list = updateMeta(list, phpStrval(m.key), m.value === undefined ? null : m.value, absint(m.id), (key, v) => ({ id: w.allocateOrderMeta(), key, value: v }));
  }
  o.meta = dropNullMeta(list);
}

/** Applies the request to the draft; returns the existing line items it changed (for stock adjustment). */
export function applyOrderParams(w: OrderWriteEnv, o: OrderRecord, p: Params): LineItem[] {
  if (isSet(p.parent_id)) o.parentId = absint(p.parent_id);
  if (isSet(p.currency)) o.currency = phpStrval(p.currency);
  if (isSet(p.customer_id)) o.customerId = absint(p.customer_id);
  if (isSet(p.customer_note)) o.customerNote = phpStrval(p.customer_note);
  if (isSet(p.billing)) applyAddress(o.billing, BILLING_KEYS, p.billing);
  if (isSet(p.shipping)) applyAddress(o.shipping, SHIPPING_KEYS, p.shipping);
  if (isSet(p.payment_method)) o.paymentMethod = phpStrval(p.payment_method);
  if (isSet(p.payment_method_title)) o.paymentMethodTitle = wcClean(p.payment_method_title);
  if (isSet(p.transaction_id)) o.transactionId = phpStrval(p.transaction_id);
  if (isSet(p.meta_data)) applyOrderMeta(w, o, p.meta_data);
  const updated = isSet(p.line_items) ? applyItemList(w.store, w.now, o, 'line_items', p.line_items) : [];
  if (isSet(p.shipping_lines)) applyItemList(w.store, w.now, o, 'shipping_lines', p.shipping_lines);
  if (isSet(p.fee_lines)) applyItemList(w.store, w.now, o, 'fee_lines', p.fee_lines);
  if (isSet(p.coupon_lines)) checkCoupons(p.coupon_lines);
  return updated;
}

/** Whether an update must recalculate totals (addresses or items were sent). */
export function touchesTotals(p: Params): boolean {
  return ['billing', 'shipping', 'line_items', 'shipping_lines', 'fee_lines', 'coupon_lines'].some((k) => isSet(p[k]));
}

/** calculate_totals() without taxes: discount = subtotals - totals, shipping, grand total. */
export function calculateTotals(o: OrderRecord): void {
  let subtotal = 0;
  let total = 0;
  for (const l of o.lines) {
    subtotal += l.subtotal;
    total += l.total;
  }
  const fees = o.feeLines.reduce((sum, f) => sum + f.total, 0);
  o.discountTotal = phpRound(subtotal - total, 2);
  o.shippingTotal = phpRound(o.shippingLines.reduce((sum, s) => sum + s.total, 0), 2);
  o.total = phpRound(total + fees + o.shippingTotal, 2);
}
