// Shapes of the WooCommerce REST v3 resources possync reads and writes (apis.md §1.4–1.8).
// Read shapes list the fields we rely on; WooCommerce sends more.

export type WooDateTime = string; // "YYYY-MM-DDTHH:MM:SS", no offset; *_gmt fields are UTC
export type WooMoney = string; // decimal string, "" when unset

export type WooStockStatus = 'instock' | 'outofstock' | 'onbackorder';
export type WooBackorders = 'no' | 'notify' | 'yes';
export type WooProductType = 'simple' | 'variable' | 'grouped' | 'external' | 'variation' | (string & {});
export type WooProductStatus = 'draft' | 'pending' | 'private' | 'publish' | 'future' | 'trash' | (string & {});

export interface WooMetaData {
  id?: number;
  key: string;
  value: unknown;
  display_key?: string;
  display_value?: unknown;
}

export interface WooDimensions {
  length: string;
  width: string;
  height: string;
}

export interface WooTermRef {
  id: number;
  name?: string;
  slug?: string;
}

export interface WooImage {
  id: number;
  src: string;
  name?: string;
  alt?: string;
  date_created?: WooDateTime;
  date_created_gmt?: WooDateTime;
  date_modified?: WooDateTime;
  date_modified_gmt?: WooDateTime;
}

/**
 * A product's attribute (`options`) or, on variation records, the chosen value (`option`).
 * `/products?sku=` returns variations in the product shape, so both forms can appear in a product list.
 */
export interface WooProductAttribute {
  id: number; // 0 for custom (non-taxonomy) attributes
  name: string;
  slug?: string;
  position?: number;
  visible?: boolean;
  variation?: boolean;
  options?: string[];
  option?: string;
}

export interface WooVariationAttribute {
  id: number;
  name: string;
  slug?: string;
  option: string; // term name
}

export interface WooDefaultAttribute {
  id: number;
  name: string;
  option: string;
}

export interface WooProduct {
  id: number;
  name: string;
  slug: string;
  permalink: string;
  type: WooProductType;
  status: WooProductStatus;
  featured: boolean;
  catalog_visibility: 'visible' | 'catalog' | 'search' | 'hidden' | (string & {});
  description: string;
  short_description: string;
  sku: string;
  global_unique_id?: string;
  price: WooMoney;
  regular_price: WooMoney;
  sale_price: WooMoney;
  date_on_sale_from: WooDateTime | null;
  date_on_sale_from_gmt: WooDateTime | null;
  date_on_sale_to: WooDateTime | null;
  date_on_sale_to_gmt: WooDateTime | null;
  on_sale: boolean;
  purchasable: boolean;
  total_sales: number | string; // variations found via /products?sku= report it as a string
  virtual: boolean;
  downloadable: boolean;
  tax_status: string;
  tax_class: string;
  /** `"parent"` only on variation records that inherit stock from their parent. */
  manage_stock: boolean | 'parent';
  /** null when stock is not managed. */
  stock_quantity: number | null;
  stock_status: WooStockStatus;
  backorders: WooBackorders;
  backorders_allowed: boolean;
  backordered: boolean;
  low_stock_amount: number | null | '';
  weight: string;
  dimensions: WooDimensions;
  shipping_class: string;
  shipping_class_id: number;
  /** > 0 for variation records (type "variation"). */
  parent_id: number;
  categories: WooTermRef[];
  tags: WooTermRef[];
  brands?: WooTermRef[];
  images: WooImage[]; // index 0 is the featured image
  attributes: WooProductAttribute[];
  default_attributes: WooDefaultAttribute[];
  variations: number[];
  grouped_products: number[];
  upsell_ids: number[];
  cross_sell_ids: number[];
  menu_order: number;
  meta_data: WooMetaData[];
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  date_modified: WooDateTime;
  date_modified_gmt: WooDateTime;
}

export interface WooVariation {
  id: number;
  /** Present on v3 variation responses; always set on variation records from /products?sku=. */
  parent_id?: number;
  /** Only set on variation records returned by /products?sku= (always "variation"). */
  type?: 'variation';
  name?: string;
  permalink: string;
  description: string;
  sku: string;
  global_unique_id?: string;
  price: WooMoney;
  regular_price: WooMoney;
  sale_price: WooMoney;
  date_on_sale_from: WooDateTime | null;
  date_on_sale_from_gmt: WooDateTime | null;
  date_on_sale_to: WooDateTime | null;
  date_on_sale_to_gmt: WooDateTime | null;
  on_sale: boolean;
  status: 'publish' | 'private' | 'draft' | 'pending' | (string & {});
  purchasable: boolean;
  virtual: boolean;
  downloadable: boolean;
  tax_status: string;
  tax_class: string;
  /** `"parent"`: the variation inherits stock; stock_quantity is then the parent's. */
  manage_stock: boolean | 'parent';
  stock_quantity: number | null;
  stock_status: WooStockStatus;
  backorders: WooBackorders;
  backorders_allowed: boolean;
  backordered: boolean;
  low_stock_amount: number | null | '';
  weight: string;
  dimensions: WooDimensions;
  shipping_class: string;
  shipping_class_id: number;
  image: WooImage | null;
  attributes: WooVariationAttribute[];
  menu_order: number;
  meta_data: WooMetaData[];
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  date_modified: WooDateTime;
  date_modified_gmt: WooDateTime;
}

/** WooCommerce uses `id` when it is set and downloads `src` only when it is not; `{}` clears a variation's image. */
export type WooImageWrite = { id?: number; src?: string; name?: string; alt?: string };

/** Only keys present are applied; `""` clears a string field (apis.md §1.4 write semantics). */
export interface WooProductWrite {
  name?: string;
  slug?: string;
  type?: 'simple' | 'variable' | 'grouped' | 'external';
  status?: 'draft' | 'pending' | 'private' | 'publish';
  featured?: boolean;
  catalog_visibility?: 'visible' | 'catalog' | 'search' | 'hidden';
  description?: string;
  short_description?: string;
  sku?: string;
  global_unique_id?: string;
  regular_price?: WooMoney;
  sale_price?: WooMoney;
  date_on_sale_from?: WooDateTime | null;
  date_on_sale_from_gmt?: WooDateTime | null;
  date_on_sale_to?: WooDateTime | null;
  date_on_sale_to_gmt?: WooDateTime | null;
  virtual?: boolean;
  downloadable?: boolean;
  tax_status?: 'taxable' | 'shipping' | 'none';
  tax_class?: string;
  manage_stock?: boolean;
  stock_quantity?: number | null;
  /** Adds to the current quantity; ignored when stock_quantity is also sent. */
  inventory_delta?: number;
  stock_status?: WooStockStatus;
  backorders?: WooBackorders;
  low_stock_amount?: number | null;
  weight?: string;
  dimensions?: Partial<WooDimensions>;
  shipping_class?: string;
  categories?: Array<{ id: number }>;
  tags?: Array<{ id: number } | { name: string }>;
  brands?: Array<{ id: number }>;
  images?: WooImageWrite[];
  attributes?: Array<{
    id?: number;
    name?: string;
    position?: number;
    visible?: boolean;
    variation?: boolean;
    options?: string[];
  }>;
  default_attributes?: Array<{ id?: number; name?: string; option: string }>;
  parent_id?: number;
  menu_order?: number;
  meta_data?: Array<{ id?: number; key: string; value: unknown }>;
  upsell_ids?: number[];
  cross_sell_ids?: number[];
  date_created?: WooDateTime;
  date_created_gmt?: WooDateTime;
}

export interface WooVariationWrite {
  description?: string;
  sku?: string;
  global_unique_id?: string;
  regular_price?: WooMoney;
  sale_price?: WooMoney;
  date_on_sale_from?: WooDateTime | null;
  date_on_sale_from_gmt?: WooDateTime | null;
  date_on_sale_to?: WooDateTime | null;
  date_on_sale_to_gmt?: WooDateTime | null;
  status?: 'publish' | 'private' | 'draft' | 'pending';
  virtual?: boolean;
  downloadable?: boolean;
  tax_status?: 'taxable' | 'shipping' | 'none';
  tax_class?: string;
  /** Writing "parent" is the same as false. */
  manage_stock?: boolean | 'parent';
  stock_quantity?: number | null;
  inventory_delta?: number;
  stock_status?: WooStockStatus;
  backorders?: WooBackorders;
  low_stock_amount?: number | null;
  weight?: string;
  dimensions?: Partial<WooDimensions>;
  shipping_class?: string;
  image?: WooImageWrite | null;
  /** Attributes not marked `variation: true` on the parent are silently ignored. */
  attributes?: Array<{ id?: number; name?: string; option: string }>;
  menu_order?: number;
  meta_data?: Array<{ id?: number; key: string; value: unknown }>;
}

export interface WooBatchRequest<T> {
  create?: T[];
  update?: Array<T & { id: number }>;
  /** Batch deletes are always permanent (force=true). */
  delete?: number[];
}

export interface WooErrorBody {
  code: string;
  message: string;
  data?: { status?: number; [key: string]: unknown } | null;
}

/** A failed batch item: `id` is 0 for a failed create. */
export interface WooBatchItemError {
  id: number;
  error: WooErrorBody;
}

/** HTTP 200 even when items fail; each array is in input order. */
export interface WooBatchResponse<T> {
  create?: Array<T | WooBatchItemError>;
  update?: Array<T | WooBatchItemError>;
  delete?: Array<T | WooBatchItemError>;
}

export interface WooAddress {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email?: string;
  phone?: string;
}

export interface WooTaxAmount {
  id: number;
  total: string;
  subtotal?: string;
}

export interface WooLineItem {
  id: number;
  name: string;
  product_id: number;
  variation_id: number; // 0 when not a variation
  quantity: number;
  tax_class: string;
  subtotal: WooMoney;
  subtotal_tax: WooMoney;
  total: WooMoney;
  total_tax: WooMoney;
  taxes: WooTaxAmount[];
  meta_data: WooMetaData[];
  /** The product's current SKU; null when the product was deleted. */
  sku: string | null;
  /** A number (total ÷ quantity), unlike every other money field. */
  price: number;
  image?: { id: number | string; src: string };
  parent_name?: string | null;
}

export interface WooShippingLine {
  id: number;
  method_title: string;
  method_id: string;
  instance_id?: string;
  total: WooMoney;
  total_tax: WooMoney;
  taxes: WooTaxAmount[];
  meta_data: WooMetaData[];
}

export type WooOrderStatus =
  | 'pending'
  | 'processing'
  | 'on-hold'
  | 'completed'
  | 'cancelled'
  | 'refunded'
  | 'failed'
  | 'trash'
  | 'checkout-draft'
  | (string & {});

export interface WooOrder {
  id: number;
  parent_id: number;
  number: string;
  order_key: string;
  created_via: string;
  version: string;
  status: WooOrderStatus;
  currency: string;
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  date_modified: WooDateTime;
  date_modified_gmt: WooDateTime;
  date_paid: WooDateTime | null;
  date_paid_gmt: WooDateTime | null;
  date_completed: WooDateTime | null;
  date_completed_gmt: WooDateTime | null;
  discount_total: WooMoney;
  discount_tax: WooMoney;
  shipping_total: WooMoney;
  shipping_tax: WooMoney;
  cart_tax: WooMoney;
  total: WooMoney;
  total_tax: WooMoney;
  prices_include_tax: boolean;
  customer_id: number; // 0 = guest
  customer_ip_address: string;
  customer_user_agent: string;
  customer_note: string;
  billing: WooAddress;
  shipping: WooAddress;
  payment_method: string;
  payment_method_title: string;
  transaction_id: string;
  cart_hash: string;
  meta_data: WooMetaData[];
  line_items: WooLineItem[];
  tax_lines: unknown[];
  shipping_lines: WooShippingLine[];
  fee_lines: unknown[];
  coupon_lines: unknown[];
  refunds: Array<{ id: number; reason: string; total: WooMoney }>;
}

export interface WooOrderWrite {
  status?: WooOrderStatus;
  customer_note?: string;
  transaction_id?: string;
  billing?: Partial<WooAddress>;
  shipping?: Partial<WooAddress>;
  meta_data?: Array<{ id?: number; key: string; value: unknown }>;
  /** Sets the status to processing and reduces stock. */
  set_paid?: boolean;
}

export interface WooOrderCreate extends WooOrderWrite {
  line_items?: Array<{ product_id?: number; variation_id?: number; sku?: string; quantity: number; total?: string }>;
  payment_method?: string;
}

export interface WooRefund {
  id: number;
  date_created_gmt: WooDateTime;
  amount: WooMoney;
  reason: string;
  refunded_payment: boolean;
  /** Negative quantities; meta `_refunded_item_id` names the order line. */
  line_items: Array<WooLineItem>;
}

export interface WooRefundWrite {
  amount?: string;
  reason?: string;
  /** Refund the payment through the gateway (default true). */
  api_refund?: boolean;
  /** Put the refunded quantities back in stock (default true). */
  api_restock?: boolean;
  line_items?: Array<{ id: number; quantity?: number; refund_total?: number }>;
}

export interface WooOrderNote {
  id: number;
  author: string;
  date_created: WooDateTime;
  date_created_gmt: WooDateTime;
  note: string;
  customer_note: boolean;
  added_by_user?: boolean;
}

export interface WooOrderNoteWrite {
  note: string;
  /** true e-mails the note to the customer. */
  customer_note?: boolean;
  added_by_user?: boolean;
}

export interface WooListResult<T> {
  items: T[];
  /** X-WP-Total; when a proxy strips the header, a lower bound derived from the pages seen. */
  total: number;
  /** X-WP-TotalPages; same fallback as `total`. */
  totalPages: number;
}

export type WooQueryScalar = string | number | boolean;
/** Arrays are sent as comma lists; null/undefined are left out. */
export type WooQueryValue = WooQueryScalar | readonly WooQueryScalar[] | null | undefined;

export interface WooListParams {
  page?: number;
  /** 1..100; anything else is refused before sending. */
  per_page?: number;
  offset?: number;
  search?: string;
  include?: readonly number[];
  exclude?: readonly number[];
  order?: 'asc' | 'desc';
  orderby?: string;
  after?: WooDateTime;
  before?: WooDateTime;
  modified_after?: WooDateTime;
  modified_before?: WooDateTime;
  /** Default false: the four date filters compare against site-local time. */
  dates_are_gmt?: boolean;
  context?: 'view' | 'edit';
  _fields?: string | readonly string[];
  [param: string]: WooQueryValue;
}

export interface WooProductListParams extends WooListParams {
  /** Exact match, comma list allowed; also matches variations. */
  sku?: string;
  status?: WooProductStatus | 'any';
  type?: WooProductType;
  parent?: readonly number[];
  stock_status?: WooStockStatus;
  category?: string;
}

export interface WooVariationListParams extends WooListParams {
  sku?: string;
  status?: string;
  stock_status?: WooStockStatus;
}

export interface WooOrderListParams extends WooListParams {
  status?: WooOrderStatus | 'any' | readonly WooOrderStatus[];
  customer?: number;
  product?: number;
  dp?: number;
}

export interface WooOrderNoteListParams {
  type?: 'any' | 'customer' | 'internal';
  [param: string]: WooQueryValue;
}
