// POST /orders/{id}/refunds as WooCommerce 8.9 runs it (RestApiUtil::adjust_create_refund_request_parameters,
// wc_create_refund, wc_restock_refunded_items): api_refund and api_restock default to true; a payment
// refund needs a gateway, which this shop has none of; restock moves only the refunded quantity of
// lines whose stock was reduced; a refund of what is left makes the order `refunded` (no restock).
import { absint, isSet, phpStrval } from './coerce';
import { WpError, WpErrorBareStatus } from './errors';
import { moneyValue, storedDecimal } from './money';
import type { OrderRecord, Refund, RefundLine } from './order-model';
import { restockRefundedLine } from './order-stock';
import { type StatusEnv, runTransition, setStatus } from './order-status';
import type { Params } from './write-common';

const cannotCreate = (message: string): WpError => new WpErrorBareStatus('woocommerce_rest_cannot_create_order_refund', message, 500);

/** is_bool() or true: a JSON boolean counts, anything else (a string "false" too) means true. */
const boolOrTrue = (v: unknown): boolean => (typeof v === 'boolean' ? v : true);

interface WantedLine {
  itemId: number;
  qty: number;
  refundTotal: number;
}

function wantedLines(p: Params): WantedLine[] {
  if (!Array.isArray(p.line_items)) return [];
  return (p.line_items as Array<Record<string, unknown>>).filter((l) => l && isSet(l.id)).map((l) => ({
    itemId: absint(l.id), qty: Math.trunc(moneyValue(l.quantity ?? l.qty ?? 0)), refundTotal: moneyValue(l.refund_total ?? 0),
  }));
}

/** Creates the refund on `o` (mutated in place); the order's stock and status follow. */
export function createRefund(s: StatusEnv, o: OrderRecord, p: Params): Refund {
  const lines = wantedLines(p);
  const amount = isSet(p.amount) && phpStrval(p.amount) !== ''
    ? moneyValue(p.amount)
    : storedDecimal(lines.reduce((sum, l) => sum + l.refundTotal, 0));
  if (amount < 0) throw new WpError('woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.', 400);
  const refunded = o.refunds.reduce((sum, r) => sum + r.amount, 0);
  const remaining = storedDecimal(o.total - refunded);
  if (amount > remaining) throw cannotCreate('Invalid refund amount.');
  // wc_refund_payment: no payment gateway is installed, so asking for the money back fails.
  if (boolOrTrue(p.api_refund)) throw cannotCreate('The payment gateway for this order does not exist.');

  const refundLines: RefundLine[] = [];
  for (const item of o.lines) {
    const w = lines.find((l) => l.itemId === item.id);
    if (!w || (!w.qty && !w.refundTotal)) continue;
    refundLines.push({ id: s.allocateItemId(), refundedItemId: item.id, metaId: s.allocateItemMeta(), quantity: -w.qty, total: -w.refundTotal });
  }
  const refund: Refund = {
    id: s.allocatePostId(), reason: isSet(p.reason) ? phpStrval(p.reason) : '', amount, created: s.env.now, lines: refundLines, refundedPayment: false,
  };
  o.refunds.unshift(refund);
  if (boolOrTrue(p.api_restock)) {
    for (const item of o.lines) {
      const w = lines.find((l) => l.itemId === item.id);
      const note = w ? restockRefundedLine(s, item, w.qty) : undefined;
      if (note) s.addNote(o, note);
    }
  }
  if (!(remaining - amount > 0)) {
    const t = setStatus(s, o, 'refunded');
    if (t) runTransition(s, o, t);
  }
  o.modified = s.env.now;
  return refund;
}
