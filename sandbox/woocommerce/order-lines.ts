// Order items written through the API (prepare_line_items / prepare_shipping_lines /
// prepare_fee_lines): products found by sku, variation_id or product_id, totals from the product's
// price on create only, posted props and meta applied on top. New items and meta get id 0 until
// the order is saved.
import { absint, asRecord, isSet, phpEmpty, phpIntval, phpStrval, phpValues } from './coerce';
import { WpError } from './errors';
import { dropNullMeta, updateMeta } from './meta-list';
import type { ProductRecord } from './model';
import { moneyValue, storedDecimal } from './money';
import type { FeeItem, ItemMeta, LineItem, OrderRecord, ShippingItem } from './order-model';
import { displayPrice } from './pricing';
import { wcClean } from './sanitize';
import { variationAttributeList } from './shape-common';
import type { Store } from './store';
import type { Params } from './write-common';

const TAX_CLASSES: readonly string[] = ['', 'reduced-rate', 'zero-rate'];

const newMeta = (key: string, value: unknown): ItemMeta => ({ id: 0, key, value });

/** set_tax_class(): '' or a known class slug, otherwise a WC_Data_Exception. */
function taxClass(value: unknown, item: 'product' | 'fee'): string {
  const cls = phpStrval(value);
  if (cls !== '' && !TAX_CLASSES.includes(cls)) throw new WpError(`order_item_${item}_invalid_tax_class`, 'Invalid tax class', 400);
  return cls;
}

/** maybe_set_item_meta_data: entries with a key, matched by id, then by key. */
function applyItemMeta(meta: ItemMeta[], posted: Params): ItemMeta[] {
  if (phpEmpty(posted.meta_data) || !Array.isArray(posted.meta_data)) return meta;
  let list = meta;
  for (const raw of posted.meta_data) {
    const m = asRecord(raw);
    if (!m || !isSet(m.key)) continue;
    list = updateMeta(list, phpStrval(m.key), m.value === undefined ? null : m.value, absint(m.id), newMeta);
  }
  return dropNullMeta(list);
}

/** wc_get_product_id_by_sku: a product or variation outside the trash. */
function idBySku(store: Store, sku: string): number {
  return store.bySku(wcClean(sku)).find((r) => r.status !== 'trash')?.id ?? 0;
}

/** get_product_id(): sku first, then product_id (without variation_id), then variation_id. */
function postedProductId(store: Store, posted: Params, action: 'create' | 'update'): number {
  if (!phpEmpty(posted.sku)) return idBySku(store, phpStrval(posted.sku));
  if (!phpEmpty(posted.product_id) && phpEmpty(posted.variation_id)) return phpIntval(posted.product_id);
  if (!phpEmpty(posted.variation_id)) return phpIntval(posted.variation_id);
  if (action === 'update') return 0;
  throw new WpError('woocommerce_rest_required_product_reference', 'Product ID or SKU is required.', 400);
}

/** The tax class a product bills with (a variation's "parent" resolves to its parent's). */
function taxClassOf(store: Store, p: ProductRecord): string {
  return p.taxClass === 'parent' ? (store.get(p.parentId)?.taxClass ?? '') : p.taxClass;
}

/** WC_Order_Item_Product::set_product: ids, name, tax class and the variation's attributes as meta. */
export function setLineProduct(store: Store, item: LineItem, p: ProductRecord): void {
  if (p.type === 'variation') {
    item.productId = p.parentId;
    item.variationId = p.id;
    let meta = item.meta;
    for (const a of variationAttributeList(store, p)) {
      meta = updateMeta(meta, String(a.slug), a.option, 0, newMeta);
      const entry = meta.find((m) => m.key === a.slug);
      if (entry) entry.displayKey = String(a.name);
    }
    item.meta = meta;
  } else {
    item.productId = p.id;
  }
  item.name = p.name;
  item.taxClass = taxClassOf(store, p);
}

/** wc_get_price_excluding_tax(): the price × quantity (no taxes in this store; a quantity of 0 counts as 1). */
export function linePrice(store: Store, p: ProductRecord, quantity: unknown, now: number): number {
  const price = displayPrice(store, p, now);
  const qty = phpIntval(quantity) ? Math.max(0, moneyValue(quantity)) : 1;
  return price === '' ? 0 : storedDecimal(Math.max(0, Number(price)) * qty);
}

function emptyLine(): LineItem {
  return { id: 0, name: '', productId: 0, variationId: 0, quantity: 1, taxClass: '', subtotal: 0, total: 0, meta: [] };
}

/** Creates (item undefined) or updates a line item. */
export function prepareLine(store: Store, now: number, posted: Params, existing: LineItem | undefined): LineItem {
  const action = existing ? 'update' : 'create';
  const item = existing ?? emptyLine();
  const id = postedProductId(store, posted, action);
  const product = id ? store.get(id) : undefined;
  if (product) {
    setLineProduct(store, item, product);
    if (action === 'create') item.total = item.subtotal = linePrice(store, product, isSet(posted.quantity) ? posted.quantity : 1, now);
  }
  if (isSet(posted.name)) item.name = phpStrval(posted.name);
  if (isSet(posted.quantity)) item.quantity = phpIntval(posted.quantity);
  if (isSet(posted.total)) item.total = storedDecimal(moneyValue(posted.total));
  if (isSet(posted.subtotal)) item.subtotal = storedDecimal(moneyValue(posted.subtotal));
  if (isSet(posted.tax_class)) item.taxClass = taxClass(posted.tax_class, 'product');
  item.meta = applyItemMeta(item.meta, posted);
  return item;
}

export function prepareShipping(posted: Params, existing: ShippingItem | undefined): ShippingItem {
  if (!existing && phpEmpty(posted.method_id)) {
    throw new WpError('woocommerce_rest_invalid_shipping_item', 'Shipping method ID is required.', 400);
  }
  const item = existing ?? { id: 0, methodTitle: '', methodId: '', instanceId: '', total: 0, meta: [] };
  if (isSet(posted.method_id)) item.methodId = wcClean(posted.method_id);
  if (isSet(posted.method_title)) item.methodTitle = wcClean(posted.method_title);
  if (isSet(posted.total)) item.total = storedDecimal(moneyValue(posted.total));
  if (isSet(posted.instance_id)) item.instanceId = wcClean(posted.instance_id);
  item.meta = applyItemMeta(item.meta, posted);
  return item;
}

export function prepareFee(posted: Params, existing: FeeItem | undefined): FeeItem {
  if (!existing && phpEmpty(posted.name)) throw new WpError('woocommerce_rest_invalid_fee_item', 'Fee name is required.', 400);
  const item = existing ?? { id: 0, name: '', taxClass: '', taxStatus: 'taxable', total: 0, meta: [] };
  if (isSet(posted.name)) item.name = phpStrval(posted.name);
  if (isSet(posted.tax_class)) item.taxClass = taxClass(posted.tax_class, 'fee');
  if (isSet(posted.tax_status)) item.taxStatus = phpStrval(posted.tax_status) === 'none' ? 'none' : 'taxable';
  if (isSet(posted.total)) item.total = storedDecimal(moneyValue(posted.total));
  item.meta = applyItemMeta(item.meta, posted);
  return item;
}

/** item_is_null(): a reference key sent as null removes the item. */
function itemIsNull(item: Params): boolean {
  return ['product_id', 'method_id', 'method_title', 'name', 'code'].some((k) => k in item && item[k] === null);
}

type ItemKind = 'line_items' | 'shipping_lines' | 'fee_lines';

/** Applies one of the item lists of a request to the draft; returns the line items that were updated. */
export function applyItemList(store: Store, now: number, o: OrderRecord, kind: ItemKind, value: unknown): LineItem[] {
  const updated: LineItem[] = [];
  if (!Array.isArray(value)) return updated;
  for (const raw of value) {
    const posted = asRecord(raw);
    if (!posted || Array.isArray(raw)) continue;
    if (itemIsNull(posted) || posted.quantity === 0) {
      removeItem(o, absint(posted.id));
      continue;
    }
    const id = phpEmpty(posted.id) ? 0 : absint(posted.id);
    if (kind === 'line_items') {
      const existing = id ? o.lines.find((l) => l.id === id) : undefined;
      if (id && !existing) throw invalidItem();
      const item = prepareLine(store, now, posted, existing);
      if (existing) updated.push(item);
      else o.lines.push(item);
    } else if (kind === 'shipping_lines') {
      const existing = id ? o.shippingLines.find((l) => l.id === id) : undefined;
      if (id && !existing) throw invalidItem();
      const item = prepareShipping(posted, existing);
      if (!existing) o.shippingLines.push(item);
    } else {
      const existing = id ? o.feeLines.find((l) => l.id === id) : undefined;
      if (id && !existing) throw invalidItem();
      const item = prepareFee(posted, existing);
      if (!existing) o.feeLines.push(item);
    }
  }
  return updated;
}

const invalidItem = (): WpError => new WpError('woocommerce_rest_invalid_item_id', 'Order item ID provided is not associated with order.', 400);

/** remove_item(): any item type, by id. */
function removeItem(o: OrderRecord, id: number): void {
  if (!id) return;
  o.lines = o.lines.filter((l) => l.id !== id);
  o.shippingLines = o.shippingLines.filter((l) => l.id !== id);
  o.feeLines = o.feeLines.filter((l) => l.id !== id);
}

/** Coupons: this store has none, so any coupon line is refused like an unknown code. */
export function checkCoupons(value: unknown): void {
  for (const raw of phpValues(value)) {
    const item = asRecord(raw) ?? {};
    if (!phpEmpty(item.id)) throw new WpError('woocommerce_rest_coupon_item_id_readonly', 'Coupon item ID is readonly.', 400);
    if (phpEmpty(item.code)) throw new WpError('woocommerce_rest_invalid_coupon', 'Coupon code is required.', 400);
    const code = wcClean(item.code).toLowerCase();
    throw new WpError('woocommerce_rest_invalid_coupon', `Coupon "${code}" cannot be applied because it does not exist.`, 400);
  }
}

/** Hidden meta rows each item type writes on its first save (their ids are consumed). */
const HIDDEN_META = { line: 9, shipping: 5, fee: 8 } as const;

/** Gives ids to new items (and their hidden and custom meta) in save order: lines, shipping, fees. */
export function assignItemIds(o: OrderRecord, allocateItem: () => number, allocateMeta: () => number): void {
  const assign = (items: Array<{ id: number; meta: ItemMeta[] }>, hidden: number): void => {
    for (const item of items) {
      if (item.id === 0) {
        item.id = allocateItem();
        for (let i = 0; i < hidden; i++) allocateMeta();
      }
      for (const m of item.meta) if (m.id === 0) m.id = allocateMeta();
    }
  };
  assign(o.lines, HIDDEN_META.line);
  assign(o.shippingLines, HIDDEN_META.shipping);
  assign(o.feeLines, HIDDEN_META.fee);
}
