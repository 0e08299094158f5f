import { z } from 'zod';

/** Input shapes of the POS operations API. Field names are the JSON names the API documents. */

/** The largest whole number the database's integer columns (ids, quantities, stock levels) hold. */
export const DB_INT_MAX = 2_147_483_647;
/** Lines per till document (sale, refund, each side of an exchange): a till never needs more. */
export const MAX_SALE_LINES = 1_000;
/** Lines per stock document (count, order, transfer, adjustment): a whole outlet's stocktake fits. */
export const MAX_STOCK_LINES = 10_000;
/** decimal(14,2): the largest document total the database holds. */
const MAX_TOTAL = 999_999_999_999.99;

const sku = z.string().trim().min(1, 'is required').max(100, 'is longer than 100 characters')
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters (a NUL byte, a tab, a line break)');
const money = z.number().finite().min(0, 'must not be negative').max(99_999_999, 'is too large');
const qty = (what: string) => z.number().int(`${what} must be a whole number`).positive(`${what} must be more than 0`).max(1_000_000, `${what} must be at most 1000000`);
const id = z.number().int('must be a whole number').positive('must be a positive id').max(DB_INT_MAX, `must be at most ${DB_INT_MAX}`);
const level = (what: string) => z.number().int(`${what} must be a whole number`).min(0, `${what} must not be negative`).max(DB_INT_MAX, `${what} must be at most ${DB_INT_MAX}`);
const weight = z.number().nonnegative().max(9_999_999, 'is too large').nullable().default(null);
const lines = <T extends z.ZodTypeAny>(line: T, max: number, what = 'line') =>
  z.array(line).min(1, `needs at least one ${what}`).max(max, `has more than ${max} lines; split the document (the limit is in the README)`);

/** Problems when line amounts add up past what the database holds (a stock level, a total). */
function checkSums(ctx: z.RefinementCtx, path: string, ls: { quantity: number; price?: number }[]): void {
  const units = ls.reduce((s, l) => s + l.quantity, 0);
  if (units > DB_INT_MAX) ctx.addIssue({ code: 'custom', path: [path], message: `the quantities add up to ${units}, past ${DB_INT_MAX}` });
  const total = ls.reduce((s, l) => s + l.quantity * (l.price ?? 0), 0);
  if (total > MAX_TOTAL) ctx.addIssue({ code: 'custom', path: [path], message: `the total ${total} is past ${MAX_TOTAL}` });
}
const dims = z.object({
  length: z.number().nonnegative().nullable().default(null),
  width: z.number().nonnegative().nullable().default(null),
  height: z.number().nonnegative().nullable().default(null),
});
const image = z.object({ src: z.string().url('must be a URL'), alt: z.string().optional() });

export const variantSchema = z.object({
  sku,
  upc: z.string().trim().max(32).default(''),
  retail_price: money,
  attributes: z.array(z.object({ name: z.string().trim().min(1), option: z.string().trim().min(1) })).default([]),
  image: image.nullable().default(null),
  weight,
  dimensions: dims.nullable().default(null),
  active: z.boolean().default(true),
  // Set by the POS and shown by GET /api/products/:id: accepted back and ignored (a variant is matched by its SKU).
  id: z.unknown().optional(),
  position: z.unknown().optional(),
  stock: z.unknown().optional(),
}).strict();

export const productSchema = z.object({
  sku,
  type: z.enum(['simple', 'variable']).default('simple'),
  name: z.string().trim().min(1, 'is required').max(400),
  description: z.string().max(100_000).default(''),
  brand: z.string().trim().max(200).default(''),
  upc: z.string().trim().max(32).default(''),
  retail_price: money.nullable().default(null),
  active: z.boolean().default(true),
  channels: z.array(z.enum(['in_store', 'online'])).default(['in_store', 'online']),
  attributes: z.array(z.object({ name: z.string().trim().min(1), options: z.array(z.string().trim().min(1)).min(1) })).default([]),
  images: z.array(image).default([]),
  weight,
  dimensions: dims.nullable().default(null),
  variants: z.array(variantSchema).max(1_000, 'has more than 1000 variants').default([]),
}).strict();

/**
 * What POST /api/products accepts: the product document, or a document read from GET /api/products/:id
 * and edited. The fields GET adds (read-only: the POS sets them) are accepted and ignored (variants'
 * too, in variantSchema). A given `id` must be the
 * product that holds the SKU (checked by the route): the SKU is what a save matches on.
 */
export const productDocumentSchema = productSchema.extend({
  id: id.optional(),
  version: z.unknown().optional(),
  stock: z.unknown().optional(),
  created_at: z.unknown().optional(),
  updated_at: z.unknown().optional(),
  inventory: z.unknown().optional(),
  links: z.unknown().optional(),
});

const saleLine = z.object({ sku, quantity: qty('quantity'), price: money.optional() }).strict();
const reference = z.string().max(100).optional();

export const saleSchema = z.object({
  register_id: id,
  reference,
  lines: lines(saleLine, MAX_SALE_LINES),
}).strict().superRefine((b, ctx) => checkSums(ctx, 'lines', b.lines));

export const refundSchema = z.object({
  register_id: id,
  original_sale_id: id.optional(),
  reference,
  lines: lines(saleLine, MAX_SALE_LINES),
}).strict().superRefine((b, ctx) => checkSums(ctx, 'lines', b.lines));

export const exchangeSchema = z.object({
  register_id: id,
  original_sale_id: id.optional(),
  reference,
  returned: lines(saleLine, MAX_SALE_LINES, 'returned line'),
  sold: lines(saleLine, MAX_SALE_LINES, 'sold line'),
}).strict().superRefine((b, ctx) => {
  checkSums(ctx, 'returned', b.returned);
  checkSums(ctx, 'sold', b.sold);
});

export const stockCountSchema = z.object({
  outlet_id: id,
  note: z.string().max(1000).optional(),
  lines: lines(z.object({ sku, counted: level('counted') }).strict(), MAX_STOCK_LINES),
}).strict();

export const stockOrderSchema = z.object({
  outlet_id: id,
  reference,
  supplier: z.string().max(200).optional(),
  lines: lines(z.object({ sku, received: qty('received') }).strict(), MAX_STOCK_LINES),
}).strict().superRefine((b, ctx) => checkSums(ctx, 'lines', b.lines.map((l) => ({ quantity: l.received }))));

export const stockTransferSchema = z.object({
  from_outlet_id: id,
  to_outlet_id: id,
  note: z.string().max(1000).optional(),
  lines: lines(z.object({ sku, quantity: qty('quantity') }).strict(), MAX_STOCK_LINES),
}).strict()
  .refine((t) => t.from_outlet_id !== t.to_outlet_id, { path: ['to_outlet_id'], message: 'must differ from from_outlet_id' })
  .superRefine((b, ctx) => checkSums(ctx, 'lines', b.lines));

export const stockAdjustmentSchema = z.object({
  outlet_id: id,
  reason: z.string().trim().min(1, 'is required').max(200),
  lines: lines(z.object({
    sku,
    delta: z.number().int('delta must be a whole number').refine((d) => d !== 0, 'delta must not be 0')
      .refine((d) => Math.abs(d) <= DB_INT_MAX, `delta must be between -${DB_INT_MAX} and ${DB_INT_MAX}`),
  }).strict(), MAX_STOCK_LINES),
}).strict().superRefine((b, ctx) => checkSums(ctx, 'lines', b.lines.map((l) => ({ quantity: Math.abs(l.delta) }))));

const floorName = z.string().trim().min(1, 'is required').max(200, 'is longer than 200 characters')
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters');
/** PATCH bodies may be a document read from GET and edited: its read-only fields are ignored. */
const floorReadOnly = { id: id.optional(), created_at: z.unknown().optional() };
const someChange = (keys: string[]) => (b: Record<string, unknown>) => keys.some((k) => b[k] !== undefined);

export const outletCreateSchema = z.object({ name: floorName, active: z.boolean().optional() }).strict();
export const outletPatchSchema = z.object({ name: floorName.optional(), active: z.boolean().optional(), ...floorReadOnly }).strict()
  .refine(someChange(['name', 'active']), 'give name and/or active');
export const registerCreateSchema = z.object({ outlet_id: id, name: floorName, active: z.boolean().optional() }).strict();
export const registerPatchSchema = z.object({ outlet_id: id.optional(), name: floorName.optional(), active: z.boolean().optional(), ...floorReadOnly }).strict()
  .refine(someChange(['outlet_id', 'name', 'active']), 'give outlet_id, name and/or active');

/** GET /api/products: paging. */
export const productListQuery = z.object({
  sku: z.string().max(100).optional(),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
  after_id: z.coerce.number().int('must be a whole number').min(0, 'must not be negative').max(DB_INT_MAX, `must be at most ${DB_INT_MAX}`).optional(),
}).strict();

export type ProductBody = z.infer<typeof productSchema>;
export type SaleBody = z.infer<typeof saleSchema>;
export type RefundBody = z.infer<typeof refundSchema>;
export type ExchangeBody = z.infer<typeof exchangeSchema>;
export type StockCountBody = z.infer<typeof stockCountSchema>;
export type StockOrderBody = z.infer<typeof stockOrderSchema>;
export type StockTransferBody = z.infer<typeof stockTransferSchema>;
export type StockAdjustmentBody = z.infer<typeof stockAdjustmentSchema>;
