// In-memory records of orders (WC_Order with its items, refunds and notes). Money is kept as numbers
// the way WooCommerce stores it (up to 6 decimals) and formatted with `dp` when rendered.
import type { MetaEntry } from './model';

export const BILLING_KEYS = ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'email', 'phone'] as const;
export const SHIPPING_KEYS = ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'phone'] as const;

export type Address = Record<string, string>;

/** Order statuses without the wc- prefix, in wc_get_order_statuses() order. */
export const ORDER_STATUSES = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'] as const;

export const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending payment',
  processing: 'Processing',
  'on-hold': 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  failed: 'Failed',
  'checkout-draft': 'Draft',
  trash: 'Trash',
};

/** Order item meta (woocommerce_order_itemmeta), its own id sequence. */
export interface ItemMeta {
  id: number;
  key: string;
  value: unknown;
  /** Label of a variation attribute ("Size" for key "size"). */
  displayKey?: string;
}

export interface LineItem {
  id: number;
  name: string;
  productId: number;
  variationId: number;
  quantity: number;
  taxClass: string;
  subtotal: number;
  total: number;
  meta: ItemMeta[];
}

export interface ShippingItem {
  id: number;
  methodTitle: string;
  methodId: string;
  instanceId: string;
  total: number;
  meta: ItemMeta[];
}

export interface FeeItem {
  id: number;
  name: string;
  taxClass: string;
  taxStatus: string;
  total: number;
  meta: ItemMeta[];
}

export interface Refund {
  /** A shop_order_refund post: its id comes from the post id sequence. */
  id: number;
  reason: string;
  amount: number;
  created: number;
  /** Negative copies of the refunded lines (POST /orders/{id}/refunds with line_items). */
  lines?: RefundLine[];
  refundedPayment?: boolean;
}

export interface RefundLine {
  id: number;
  /** The order line it refunds (`_refunded_item_id`). */
  refundedItemId: number;
  metaId: number;
  /** Negative. */
  quantity: number;
  /** Negative. */
  total: number;
}

export interface OrderNote {
  id: number;
  orderId: number;
  content: string;
  customerNote: boolean;
  author: string;
  created: number;
}

export interface OrderRecord {
  id: number;
  parentId: number;
  status: string;
  currency: string;
  version: string;
  pricesIncludeTax: boolean;
  /** Epoch ms, seconds precision. */
  created: number;
  modified: number;
  paid: number | null;
  completed: number | null;
  discountTotal: number;
  shippingTotal: number;
  total: number;
  customerId: number;
  orderKey: string;
  billing: Address;
  shipping: Address;
  paymentMethod: string;
  paymentMethodTitle: string;
  transactionId: string;
  customerIp: string;
  customerUserAgent: string;
  createdVia: string;
  customerNote: string;
  cartHash: string;
  meta: MetaEntry[];
  lines: LineItem[];
  shippingLines: ShippingItem[];
  feeLines: FeeItem[];
  refunds: Refund[];
  /** _order_stock_reduced: the paid-status hooks already took the stock. */
  stockReduced: boolean;
  /** _recorded_sales: total_sales already counted this order. */
  salesRecorded: boolean;
}

export function emptyAddress(keys: readonly string[]): Address {
  return Object.fromEntries(keys.map((k) => [k, '']));
}

export function newOrderRecord(now: number): OrderRecord {
  return {
    id: 0,
    parentId: 0,
    status: 'pending',
    currency: 'USD',
    version: '8.9.1',
    pricesIncludeTax: false,
    created: now,
    modified: now,
    paid: null,
    completed: null,
    discountTotal: 0,
    shippingTotal: 0,
    total: 0,
    customerId: 0,
    orderKey: '',
    billing: emptyAddress(BILLING_KEYS),
    shipping: emptyAddress(SHIPPING_KEYS),
    paymentMethod: '',
    paymentMethodTitle: '',
    transactionId: '',
    customerIp: '',
    customerUserAgent: '',
    createdVia: '',
    customerNote: '',
    cartHash: '',
    meta: [],
    lines: [],
    shippingLines: [],
    feeLines: [],
    refunds: [],
    stockReduced: false,
    salesRecorded: false,
  };
}

const copyMeta = (m: ItemMeta[]): ItemMeta[] => m.map((e) => ({ ...e }));

export function cloneOrder(o: OrderRecord): OrderRecord {
  return {
    ...o,
    billing: { ...o.billing },
    shipping: { ...o.shipping },
    meta: o.meta.map((m) => ({ ...m })),
    lines: o.lines.map((l) => ({ ...l, meta: copyMeta(l.meta) })),
    shippingLines: o.shippingLines.map((l) => ({ ...l, meta: copyMeta(l.meta) })),
    feeLines: o.feeLines.map((l) => ({ ...l, meta: copyMeta(l.meta) })),
    refunds: o.refunds.map((r) => ({ ...r })),
  };
}
