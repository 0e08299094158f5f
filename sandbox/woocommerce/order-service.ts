// Order writes as the REST controller (and checkout / wp-admin) perform them: prepare a draft, save
// it (ids for the order, its items and item meta), run the status transition hooks, take payment,
// and tell the webhooks (order.created on the first save, order.updated on every later one).
import crypto from 'node:crypto';
import type { Catalog } from './catalog';
import { isSet, phpEmpty, phpStrval, wcStringToBool } from './coerce';
import type { EventSink } from './events';
import { WpError, WpErrorBareStatus, alreadyExists, alreadyTrashed, invalidId } from './errors';
import { assignItemIds } from './order-lines';
import { type OrderNote, type OrderRecord, type Refund, cloneOrder, newOrderRecord } from './order-model';
import { SYSTEM_AUTHOR } from './order-notes';
import { needsPayment } from './order-shape';
import { createRefund } from './order-refunds';
import { type StatusEnv, paymentComplete, runTransition, setStatus } from './order-status';
import { applyOrderParams, calculateTotals, touchesTotals } from './order-write';
import type { Store } from './store';
import type { Params, WriteEnv } from './write-common';

export interface OrderOrigin {
  /** rest-api, checkout, admin… */
  createdVia: string;
  customerIp?: string;
  userAgent?: string;
  cartHash?: string;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** wc_generate_order_key(): 'wc_order_' + wp_generate_password(13, false); `pick(n)` is 0..n-1. */
export function orderKey(pick: (n: number) => number = (n) => crypto.randomInt(n)): string {
  let key = 'wc_order_';
  for (let i = 0; i < 13; i++) key += ALNUM[pick(ALNUM.length)];
  return key;
}

/** rest_sanitize_boolean as applied to set_paid. */
const restTrue = (v: unknown): boolean => isSet(v) && (typeof v === 'boolean' ? v : wcStringToBool(v) || v === 'on');

export class OrderService {
  constructor(
    private readonly store: Store,
    /** Stock writes: no API stats, product events. */
    private readonly stockCatalog: Catalog,
    private readonly events: EventSink,
  ) {}

  private get book() {
    return this.store.orderBook;
  }

  private statusEnv(env: WriteEnv): StatusEnv {
    return {
      env,
      store: this.store,
      catalog: this.stockCatalog,
      allocateItemMeta: () => this.book.allocateItemMetaId(),
      allocatePostId: () => this.store.allocateId(),
      allocateItemId: () => this.book.allocateItemId(),
      addNote: (o, text) => {
        this.book.addNote({ orderId: o.id, content: text, customerNote: false, author: SYSTEM_AUTHOR, created: env.now });
      },
    };
  }

  private writeEnv(env: WriteEnv) {
    return { store: this.store, now: env.now, allocateOrderMeta: () => this.book.allocateOrderMetaId() };
  }

  create(env: WriteEnv, p: Params, origin: OrderOrigin): OrderRecord {
    if (!phpEmpty(p.id)) throw alreadyExists('shop_order');
    const o = newOrderRecord(env.now);
    applyOrderParams(this.writeEnv(env), o, p);
    o.createdVia = origin.createdVia;
    o.customerIp = origin.customerIp ?? '';
    o.customerUserAgent = origin.userAgent ?? '';
    o.cartHash = origin.cartHash ?? '';
    calculateTotals(o);
    // First save: the post id, then the items.
    o.id = this.store.allocateId();
    o.orderKey = orderKey();
    assignItemIds(o, () => this.book.allocateItemId(), () => this.book.allocateItemMetaId());
    this.book.save(cloneOrder(o));
    this.events({ resource: 'order', event: 'created', id: o.id });
    const s = this.statusEnv(env);
    const t = setStatus(s, o, isSet(p.status) && phpStrval(p.status) !== '' ? phpStrval(p.status) : 'pending');
    if (t) runTransition(s, o, t);
    if (restTrue(p.set_paid)) paymentComplete(s, o, phpStrval(p.transaction_id));
    this.book.save(o);
    this.events({ resource: 'order', event: 'updated', id: o.id });
    return o;
  }

  update(env: WriteEnv, id: number, p: Params): OrderRecord {
    const existing = this.book.get(id);
    if (!existing) throw invalidId('shop_order', 400);
    const o = cloneOrder(existing);
    // A changed line quantity moves no stock through REST (wc_maybe_adjust_line_item_product_stock
    // runs only in wp-admin), as the real store shows: `_reduced_stock` keeps what was taken.
    applyOrderParams(this.writeEnv(env), o, p);
    if (touchesTotals(p)) calculateTotals(o);
    assignItemIds(o, () => this.book.allocateItemId(), () => this.book.allocateItemMetaId());
    const s = this.statusEnv(env);
    const t = !phpEmpty(p.status) ? setStatus(s, o, phpStrval(p.status)) : undefined;
    if (t) runTransition(s, o, t);
    if (restTrue(p.set_paid) && needsPayment(o)) paymentComplete(s, o, phpStrval(p.transaction_id));
    o.modified = env.now;
    this.book.save(o);
    this.events({ resource: 'order', event: 'updated', id: o.id });
    return o;
  }

  /** Without force: trash (410 when already trashed). With force: gone. Answers the order as it was. */
  delete(env: WriteEnv, id: number, force: boolean): OrderRecord {
    const before = this.book.get(id);
    if (!before) throw invalidId('shop_order', 404);
    if (force) {
      this.book.remove(id);
      return before;
    }
    if (before.status === 'trash') throw alreadyTrashed('shop_order');
    const o = cloneOrder(before);
    o.meta.push(
      { id: this.book.allocateOrderMetaId(), key: '_wp_trash_meta_status', value: `wc-${before.status}` },
      { id: this.book.allocateOrderMetaId(), key: '_wp_trash_meta_time', value: String(Math.floor(env.now / 1000)) },
    );
    o.status = 'trash';
    o.modified = env.now;
    this.book.save(o);
    // order.deleted listens to wp_trash_post only.
    this.events({ resource: 'order', event: 'deleted', id });
    return before;
  }

  /** POST /orders/{id}/refunds (wc_create_refund): stock and status follow; webhooks see order.updated. */
  refund(env: WriteEnv, orderId: number, p: Params): { order: OrderRecord; refund: Refund } {
    const existing = this.book.get(orderId);
    // The refunds controller builds this one as new WP_Error(..., 404): data is the bare status (recorded).
    if (!existing) throw new WpErrorBareStatus('woocommerce_rest_invalid_order_id', 'Invalid order ID.', 404);
    const o = cloneOrder(existing);
    const refund = createRefund(this.statusEnv(env), o, p);
    this.book.save(o);
    this.events({ resource: 'order', event: 'updated', id: o.id });
    return { order: o, refund };
  }

  addNote(env: WriteEnv, orderId: number, text: string, customerNote: boolean, author: string): OrderNote {
    if (!this.book.get(orderId)) throw new WpError('woocommerce_rest_order_invalid_id', 'Invalid order ID.', 404);
    return this.book.addNote({ orderId, content: text, customerNote, author, created: env.now });
  }
}
