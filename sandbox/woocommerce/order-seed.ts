// seedOrders: order history for tests and benchmarks, built directly as records (no stock moves, no
// notes, no webhooks). Lines reference the shop's products and variations; optional extra products
// the POS does not know, and products deleted afterwards (their lines then read sku null).
import { Catalog } from './catalog';
import { nowSeconds } from './dates';
import type { ProductRecord } from './model';
import { storedDecimal } from './money';
import type { ItemMeta, LineItem, OrderRecord } from './order-model';
import { newOrderRecord } from './order-model';
import { orderKey } from './order-service';
import { calculateTotals } from './order-write';
import { displayPrice } from './pricing';
import { Prng } from './prng';
import { PAYMENT_METHODS, USER_AGENTS, seedCustomers } from './seed-customers';
import { variationAttributeList } from './shape-common';
import type { Store } from './store';
import type { SeededOrders, SeedOrdersOptions } from './types';
import type { WriteEnv } from './write-common';

const DEFAULT_WEIGHTS: Record<string, number> = { completed: 70, processing: 12, 'on-hold': 4, pending: 4, cancelled: 4, refunded: 3, failed: 3 };
const PAID = new Set(['processing', 'completed', 'on-hold', 'refunded']);
const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Sellable {
  product: ProductRecord;
  price: number;
  /** Variation attributes as line meta (key, value, label). */
  attributes: Array<[string, string, string]>;
  managed: boolean;
}

function sellable(store: Store, p: ProductRecord, now: number): Sellable {
  const price = Number(displayPrice(store, p, now) || p.regularPrice || 0) || 10;
  const attributes = p.type === 'variation' ? variationAttributeList(store, p).map((a): [string, string, string] => [String(a.slug), String(a.option), String(a.name)]) : [];
  const managed = p.manageStock || (p.type === 'variation' && store.get(p.parentId)?.manageStock === true);
  return { product: p, price, attributes, managed };
}

/** Simple products and variations of live variable products, outside the trash. */
function shopPool(store: Store, now: number): Sellable[] {
  const out: Sellable[] = [];
  for (const r of store.posts.values()) {
    if (r.status === 'trash') continue;
    if (r.type === 'simple') out.push(sellable(store, r, now));
    else if (r.type === 'variation' && r.status === 'publish' && store.get(r.parentId)?.status !== 'trash') out.push(sellable(store, r, now));
  }
  return out;
}

function validate(opts: SeedOrdersOptions): { after: number; before: number; lines: [number, number] } {
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error('seedOrders: count must be a non-negative integer');
  const before = opts.createdBefore.getTime();
  const after = opts.createdAfter ? opts.createdAfter.getTime() : before - 365 * DAY;
  if (!(after < before)) throw new Error('seedOrders: createdAfter must be before createdBefore');
  const lines = opts.linesPerOrder ?? [1, 5];
  if (lines[0] < 1 || lines[1] < lines[0]) throw new Error('seedOrders: linesPerOrder must be [min >= 1, max >= min]');
  return { after, before, lines };
}

export class OrderSeeder {
  /** Writes products without stats or webhooks. */
  private readonly catalog: Catalog;

  constructor(private readonly store: Store) {
    this.catalog = new Catalog(store);
  }

  seed(opts: SeedOrdersOptions): SeededOrders {
    const { after, before: until, lines } = validate(opts);
    // Completion and refund dates stay within the window, at seconds precision.
    const before = Math.floor(until / 1000) * 1000;
    const rng = new Prng(opts.seed ?? 1);
    const env: WriteEnv = { store: this.store, now: nowSeconds(), tzOffsetMinutes: 0 };
    const pool = shopPool(this.store, env.now);
    const missing = (opts.missingSkus ?? []).map((m) => sellable(this.store, this.productForSku(env, m), env.now));
    if (pool.length === 0 && missing.length === 0 && opts.count > 0) throw new Error('seedOrders: the shop has no products to order');
    const withDeleted = Math.round(opts.count * Math.min(1, Math.max(0, opts.deletedProductRate ?? 0)));
    const ghosts = Array.from({ length: withDeleted ? Math.max(1, Math.ceil(withDeleted / 25)) : 0 }, (_, k) =>
      sellable(this.store, this.catalog.createProduct(env, { name: `Discontinued item ${k + 1}`, sku: `DISCONTINUED-${opts.seed ?? 1}-${k + 1}`, regular_price: String(5 + (k % 20)) }), env.now),
    );
    const times = Array.from({ length: opts.count }, () => Math.floor((after + rng.next() * (until - after)) / 1000) * 1000).sort((a, b) => a - b);
    const deletedAt = new Set(pickIndexes(rng, opts.count, withDeleted));
    const missingAt = new Map<number, Sellable>();
    // Each unknown product shows up at least once, then in about 3% of the orders.
    for (const m of missing) missingAt.set(rng.int(0, Math.max(0, opts.count - 1)), m);
    const customers = seedCustomers(rng, Math.max(20, Math.ceil(opts.count / 4)));
    const records: OrderRecord[] = [];
    for (let i = 0; i < opts.count; i++) {
      const items: Sellable[] = [];
      const wanted = rng.int(lines[0], lines[1]);
      for (let n = 0; n < wanted * 3 && items.length < wanted && pool.length > 0; n++) {
        const s = rng.pick(pool);
        if (!items.includes(s)) items.push(s);
      }
      const extra = missingAt.get(i) ?? (missing.length > 0 && rng.next() < 0.03 ? rng.pick(missing) : undefined);
      if (extra && !items.includes(extra)) items.push(extra);
      if (deletedAt.has(i)) items.push(rng.pick(ghosts));
      if (items.length === 0) items.push(rng.pick(missing));
      records.push(this.order(rng, items, times[i]!, before, rng.weighted(opts.statusWeights ?? DEFAULT_WEIGHTS), rng.pick(customers)));
    }
    this.store.orderBook.addMany(records);
    for (const g of ghosts) this.catalog.deleteProduct(env, g.product.id, true);
    return { ids: records.map((o) => o.id), stockHeld: stockHeldBySku(this.store, records) };
  }

  /** The shop product holding `sku`, or a new simple product for it. */
  private productForSku(env: WriteEnv, m: { sku: string; name: string; price: string }): ProductRecord {
    const existing = this.store.bySku(m.sku).find((r) => r.status !== 'trash');
    return existing ?? this.catalog.createProduct(env, { name: m.name, sku: m.sku, regular_price: m.price });
  }

  private order(rng: Prng, items: Sellable[], created: number, before: number, status: string, customer: ReturnType<typeof seedCustomers>[number]): OrderRecord {
    const book = this.store.orderBook;
    const o = newOrderRecord(created);
    o.id = this.store.allocateId();
    o.status = status;
    o.orderKey = orderKey((n) => Math.floor(rng.next() * n));
    o.createdVia = 'checkout';
    o.customerId = customer.id;
    o.billing = { ...customer.billing };
    o.shipping = { ...customer.shipping };
    const [method, title] = rng.pick(PAYMENT_METHODS);
    o.paymentMethod = method;
    o.paymentMethodTitle = title;
    o.customerIp = `203.0.113.${rng.int(1, 254)}`;
    o.customerUserAgent = rng.pick(USER_AGENTS);
    o.cartHash = rng.hex(32);
    const paid = PAID.has(status);
    o.stockReduced = paid;
    o.salesRecorded = paid;
    o.lines = items.map((s) => this.line(rng, s, paid));
    const subtotal = o.lines.reduce((sum, l) => sum + l.total, 0);
    const free = subtotal >= 100;
    o.shippingLines = [{ id: book.allocateItemId(), methodTitle: free ? 'Free shipping' : 'Flat rate', methodId: free ? 'free_shipping' : 'flat_rate', instanceId: free ? '2' : '1', total: free ? 0 : 5, meta: [] }];
    for (let h = 0; h < 5; h++) book.allocateItemMetaId();
    calculateTotals(o);
    if (paid) {
      o.paid = Math.max(created, Math.min(before, created + rng.int(0, 120) * 1000));
      if (method === 'stripe') o.transactionId = `ch_${rng.hex(24)}`;
    }
    if (status === 'completed') o.completed = Math.max(created, Math.min(before, created + rng.int(1, 72) * HOUR));
    o.modified = o.completed ?? (status === 'refunded' ? Math.max(created, Math.min(before, created + DAY)) : created);
    if (status === 'refunded') o.refunds = [{ id: this.store.allocateId(), reason: 'Order fully refunded.', amount: o.total, created: o.modified }];
    return o;
  }

  private line(rng: Prng, s: Sellable, paid: boolean): LineItem {
    const book = this.store.orderBook;
    const quantity = rng.next() < 0.7 ? 1 : rng.int(2, 4);
    const id = book.allocateItemId();
    for (let h = 0; h < 9; h++) book.allocateItemMetaId();
    const meta: ItemMeta[] = s.attributes.map(([key, value, label]) => ({ id: book.allocateItemMetaId(), key, value, displayKey: label }));
    if (paid && s.managed) meta.push({ id: book.allocateItemMetaId(), key: '_reduced_stock', value: String(quantity) });
    const total = storedDecimal(s.price * quantity);
    const p = s.product;
    const taxClass = p.taxClass === 'parent' ? (this.store.get(p.parentId)?.taxClass ?? '') : p.taxClass;
    return { id, name: p.name, productId: p.type === 'variation' ? p.parentId : p.id, variationId: p.type === 'variation' ? p.id : 0, quantity, taxClass, subtotal: total, total, meta };
  }
}

/** Units the orders hold out of stock per SKU (Σ `_reduced_stock`), for lines whose product still exists. */
function stockHeldBySku(store: Store, orders: OrderRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of orders) {
    for (const l of o.lines) {
      const held = Number(l.meta.find((m) => m.key === '_reduced_stock')?.value ?? 0);
      const sku = store.get(l.variationId || l.productId)?.sku;
      if (held && sku) out[sku] = (out[sku] ?? 0) + held;
    }
  }
  return out;
}

/** `k` distinct indexes out of 0..n-1. */
function pickIndexes(rng: Prng, n: number, k: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(k, n)) chosen.add(rng.int(0, n - 1));
  return [...chosen];
}
