// REST argument schemas of the v3 endpoints (WooCommerce 8.9): what single create/update requests
// and list queries are validated against. Batch items are not validated (WooCommerce skips it).
import type { ArgSchema } from './schema-validate';

const str: ArgSchema = { type: 'string' };
const int: ArgSchema = { type: 'integer' };
const bool: ArgSchema = { type: 'boolean' };
const dateTime: ArgSchema = { type: ['null', 'string'], format: 'date-time' };
const intList: ArgSchema = { type: 'array', items: int };
const termList: ArgSchema = { type: 'array', items: { type: 'object', properties: { id: int, name: str, slug: str } } };
const metaList: ArgSchema = { type: 'array', items: { type: 'object', properties: { id: int, key: str } } };
const downloads: ArgSchema = { type: 'array', items: { type: 'object', properties: { id: str, name: str, file: str } } };
const dimensions: ArgSchema = { type: 'object', properties: { length: str, width: str, height: str } };
const stockStatus: ArgSchema = { type: 'string', enum: ['instock', 'outofstock', 'onbackorder'] };
const backorders: ArgSchema = { type: 'string', enum: ['no', 'notify', 'yes'] };
const taxStatus: ArgSchema = { type: 'string', enum: ['taxable', 'shipping', 'none'] };
const image: ArgSchema = { type: 'object', properties: { id: int, src: str, name: str, alt: str } };

export const PRODUCT_TYPES = ['simple', 'grouped', 'external', 'variable'] as const;

export const productWriteArgs: Record<string, ArgSchema> = {
  name: str,
  slug: str,
  date_created: dateTime,
  date_created_gmt: dateTime,
  type: { type: 'string', enum: PRODUCT_TYPES },
  status: { type: 'string', enum: ['draft', 'pending', 'private', 'publish', 'future'] },
  featured: bool,
  catalog_visibility: { type: 'string', enum: ['visible', 'catalog', 'search', 'hidden'] },
  description: str,
  short_description: str,
  sku: str,
  regular_price: str,
  sale_price: str,
  date_on_sale_from: dateTime,
  date_on_sale_from_gmt: dateTime,
  date_on_sale_to: dateTime,
  date_on_sale_to_gmt: dateTime,
  virtual: bool,
  downloadable: bool,
  downloads,
  download_limit: int,
  download_expiry: int,
  external_url: str,
  button_text: str,
  tax_status: taxStatus,
  tax_class: str,
  manage_stock: bool,
  stock_quantity: int,
  stock_status: stockStatus,
  backorders,
  low_stock_amount: { type: ['integer', 'null'] },
  sold_individually: bool,
  weight: str,
  dimensions,
  shipping_class: str,
  reviews_allowed: bool,
  upsell_ids: intList,
  cross_sell_ids: intList,
  parent_id: int,
  purchase_note: str,
  categories: termList,
  tags: termList,
  images: { type: 'array', items: image },
  attributes: {
    type: 'array',
    items: {
      type: 'object',
      properties: { id: int, name: str, position: int, visible: bool, variation: bool, options: { type: 'array', items: str } },
    },
  },
  default_attributes: { type: 'array', items: { type: 'object', properties: { id: int, name: str, option: str } } },
  grouped_products: intList,
  menu_order: int,
  meta_data: metaList,
};

export const variationWriteArgs: Record<string, ArgSchema> = {
  description: str,
  sku: str,
  regular_price: str,
  sale_price: str,
  date_on_sale_from: dateTime,
  date_on_sale_from_gmt: dateTime,
  date_on_sale_to: dateTime,
  date_on_sale_to_gmt: dateTime,
  status: { type: 'string', enum: ['publish', 'private', 'draft', 'pending'] },
  virtual: bool,
  downloadable: bool,
  downloads,
  download_limit: int,
  download_expiry: int,
  tax_status: taxStatus,
  tax_class: str,
  // Reads may say "parent"; writing it is the same as false.
  manage_stock: { type: ['boolean', 'string'] },
  stock_quantity: int,
  stock_status: stockStatus,
  backorders,
  low_stock_amount: { type: ['integer', 'null'] },
  weight: str,
  dimensions,
  shipping_class: str,
  image,
  attributes: { type: 'array', items: { type: 'object', properties: { id: int, name: str, option: str } } },
  menu_order: int,
  meta_data: metaList,
};

const ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'];

export const collectionArgs: Record<string, ArgSchema> = {
  context: { type: 'string', enum: ['view', 'embed', 'edit'] },
  page: { type: 'integer', minimum: 1 },
  per_page: { type: 'integer', minimum: 1, maximum: 100 },
  search: str,
  after: { type: 'string', format: 'date-time' },
  before: { type: 'string', format: 'date-time' },
  modified_after: { type: 'string', format: 'date-time' },
  modified_before: { type: 'string', format: 'date-time' },
  dates_are_gmt: bool,
  exclude: intList,
  include: intList,
  offset: int,
  order: { type: 'string', enum: ['asc', 'desc'] },
  orderby: { type: 'string', enum: ORDERBY },
  parent: intList,
  parent_exclude: intList,
  slug: str,
};

export const productCollectionArgs: Record<string, ArgSchema> = {
  ...collectionArgs,
  orderby: { type: 'string', enum: [...ORDERBY, 'menu_order', 'price', 'popularity', 'rating'] },
  status: { type: 'string', enum: ['any', 'future', 'trash', 'draft', 'pending', 'private', 'publish'] },
  type: { type: 'string', enum: PRODUCT_TYPES },
  sku: str,
  featured: bool,
  category: str,
  tag: str,
  on_sale: bool,
  min_price: str,
  max_price: str,
  stock_status: stockStatus,
};

export const variationCollectionArgs: Record<string, ArgSchema> = {
  ...productCollectionArgs,
  status: { type: 'string', enum: ['any', 'future', 'trash', 'draft', 'pending', 'private', 'publish'] },
};

/** get_order_statuses() of the orders controller: auto-draft plus wc_get_order_statuses(). */
export const ORDER_STATUS_ENUM = ['auto-draft', 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'];

export const orderCollectionArgs: Record<string, ArgSchema> = {
  ...collectionArgs,
  status: { type: 'array', items: { type: 'string', enum: ['any', 'trash', ...ORDER_STATUS_ENUM] } },
  customer: int,
  product: int,
  dp: int,
};

/** get_woocommerce_currencies() codes. */
const CURRENCIES = (
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTC BTN BWP BYR BYN BZD CAD ' +
  'CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GGP GHS GIP GMD GNF GTQ ' +
  'GYD HKD HNL HRK HTG HUF IDR ILS IMP INR IQD IRR IRT ISK JEP JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK ' +
  'LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN ' +
  'PGK PHP PKR PLN PRB PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD SSP STN SYP SZL THB TJS TMT ' +
  'TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VEF VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW'
).split(' ');

const addressProps = (withEmail: boolean): Record<string, ArgSchema> => {
  const props: Record<string, ArgSchema> = {};
  for (const k of ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'phone']) props[k] = str;
  if (withEmail) props.email = { type: ['string', 'null'], format: 'email' };
  return props;
};

const itemMeta: ArgSchema = { type: 'array', items: { type: 'object', properties: { id: int, key: str, value: { type: ['null', 'object', 'string', 'number', 'boolean', 'integer', 'array'] } } } };

/** Writable props of the order schema (single create/update; batch items are not validated). */
export const orderWriteArgs: Record<string, ArgSchema> = {
  parent_id: int,
  status: { type: 'string', enum: ORDER_STATUS_ENUM },
  currency: { type: 'string', enum: CURRENCIES },
  customer_id: int,
  customer_note: str,
  billing: { type: 'object', properties: addressProps(true) },
  shipping: { type: 'object', properties: addressProps(false) },
  payment_method: str,
  payment_method_title: str,
  transaction_id: str,
  meta_data: metaList,
  line_items: {
    type: 'array',
    items: {
      type: 'object',
      properties: { id: int, name: str, product_id: { type: ['integer', 'string'] }, variation_id: int, quantity: int, tax_class: str, subtotal: str, total: str, meta_data: itemMeta, sku: str },
    },
  },
  shipping_lines: { type: 'array', items: { type: 'object', properties: { id: int, method_title: str, method_id: str, instance_id: str, total: str, meta_data: itemMeta } } },
  fee_lines: { type: 'array', items: { type: 'object', properties: { id: int, name: str, tax_class: str, tax_status: { type: 'string', enum: ['taxable', 'none'] }, total: str, meta_data: itemMeta } } },
  coupon_lines: { type: 'array', items: { type: 'object', properties: { id: int, code: str, meta_data: itemMeta } } },
  set_paid: bool,
};

export const noteCollectionArgs: Record<string, ArgSchema> = {
  context: { type: 'string', enum: ['view', 'embed', 'edit'] },
  type: { type: 'string', enum: ['any', 'customer', 'internal'] },
};

export const noteCreateArgs: Record<string, ArgSchema> = {
  note: { type: 'string', required: true },
  customer_note: bool,
  added_by_user: bool,
};

export const WEBHOOK_STATUSES = ['active', 'paused', 'disabled'];

export const webhookCollectionArgs: Record<string, ArgSchema> = {
  context: { type: 'string', enum: ['view', 'embed', 'edit'] },
  page: { type: 'integer', minimum: 1 },
  per_page: { type: 'integer', minimum: 1, maximum: 100 },
  search: str,
  after: { type: 'string', format: 'date-time' },
  before: { type: 'string', format: 'date-time' },
  exclude: intList,
  include: intList,
  offset: int,
  order: { type: 'string', enum: ['asc', 'desc'] },
  orderby: { type: 'string', enum: ['date', 'id', 'title'] },
  status: { type: 'string', enum: ['all', ...WEBHOOK_STATUSES] },
};

export const webhookWriteArgs: Record<string, ArgSchema> = {
  name: str,
  status: { type: 'string', enum: WEBHOOK_STATUSES },
  topic: str,
  secret: str,
};

export const webhookCreateArgs: Record<string, ArgSchema> = {
  ...webhookWriteArgs,
  topic: { type: 'string', required: true },
  delivery_url: { type: 'string', required: true },
};

/** Single-item GET/DELETE args. */
export const itemArgs: Record<string, ArgSchema> = {
  context: { type: 'string', enum: ['view', 'embed', 'edit'] },
  force: bool,
};
