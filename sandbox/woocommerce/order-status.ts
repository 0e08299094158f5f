// Status changes of an order (WC_Order::set_status / status_transition / payment_complete): the
// paid and completed dates, the woocommerce_order_status_{to} hooks (stock, total sales, refund),
// then the "Order status changed" note.
import { ORDER_STATUSES, type OrderRecord, STATUS_LABELS } from './order-model';
import { needsProcessing } from './order-shape';
import { type StockEnv, recordSales, reduceStock, restoreStock } from './order-stock';

export interface Transition {
  from: string;
  to: string;
}

export interface StatusEnv extends StockEnv {
  addNote(o: OrderRecord, text: string): void;
  allocatePostId(): number;
  allocateItemId(): number;
}

const PAID_HOOKS = ['processing', 'completed', 'on-hold'];

/** set_status(): unknown statuses become pending; dates follow the new status. Undefined when unchanged. */
export function setStatus(s: StatusEnv, o: OrderRecord, wanted: string): Transition | undefined {
  const status = wanted.startsWith('wc-') ? wanted.slice(3) : wanted;
  const to = (ORDER_STATUSES as readonly string[]).includes(status) || status === 'trash' || status === 'auto-draft' ? status : 'pending';
  const from = o.status;
  if (from === to) return undefined;
  o.status = to;
  // maybe_set_date_paid: when the payment-complete status (or completed after processing) is reached.
  if (o.paid === null) {
    const paidStatus = needsProcessing(s.store, o) ? 'processing' : 'completed';
    if (to === paidStatus || (paidStatus === 'processing' && to === 'completed')) o.paid = s.env.now;
  }
  if (to === 'completed') o.completed = s.env.now;
  return { from, to };
}

/** wc_order_fully_refunded: a refund of what is left, and its note. */
function fullyRefund(s: StatusEnv, o: OrderRecord): void {
  const refunded = o.refunds.reduce((sum, r) => sum + r.amount, 0);
  const amount = Number((o.total - refunded).toFixed(2));
  if (!amount) return;
  o.refunds.unshift({ id: s.allocatePostId(), reason: 'Order fully refunded.', amount, created: s.env.now });
  s.addNote(o, 'Order status set to refunded. To return funds to the customer you will need to issue a refund through your payment gateway.');
}

/** status_transition(): the hooks of the new status, then the transition note. */
export function runTransition(s: StatusEnv, o: OrderRecord, t: Transition): void {
  if (PAID_HOOKS.includes(t.to)) {
    if (!o.stockReduced) {
      const note = reduceStock(s, o);
      if (note) s.addNote(o, note);
      o.stockReduced = true;
    }
    if (!o.salesRecorded) {
      recordSales(s, o);
      o.salesRecorded = true;
    }
  }
  // wc_maybe_increase_stock_levels runs on cancelled and pending only: `refunded` restocks nothing.
  if ((t.to === 'cancelled' || t.to === 'pending') && o.stockReduced) {
    const note = restoreStock(s, o);
    if (note) s.addNote(o, note);
    o.stockReduced = false;
  }
  if (t.to === 'refunded') fullyRefund(s, o);
  s.addNote(o, `Order status changed from ${STATUS_LABELS[t.from] ?? t.from} to ${STATUS_LABELS[t.to] ?? t.to}.`);
}

/** payment_complete(): from an unpaid status to processing (or completed), stock reduced. */
export function paymentComplete(s: StatusEnv, o: OrderRecord, transactionId: string): void {
  if (!['on-hold', 'pending', 'failed', 'cancelled'].includes(o.status)) return;
  if (transactionId !== '') o.transactionId = transactionId;
  if (o.paid === null) o.paid = s.env.now;
  const t = setStatus(s, o, needsProcessing(s.store, o) ? 'processing' : 'completed');
  if (t) runTransition(s, o, t);
  if (!o.stockReduced) {
    const note = reduceStock(s, o);
    if (note) s.addNote(o, note);
    o.stockReduced = true;
  }
}
