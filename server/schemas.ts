import { z } from 'zod';

/** Input shapes of the POS operations API. Field names are the JSON names the API documents. */

const sku = z.string().trim().min(1, 'is required').max(100, 'is longer than 100 characters');
const money = z.number().finite().min(0, 'must not be negative').max(99_999_999, 'is too large');
const qty = (what: string) => z.number().int(`${what} must be a whole number`).positive(`${what} must be more than 0`).max(1_000_000);
const id = z.number().int('must be a whole number').positive('must be a positive id');
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
  weight: z.number().nonnegative().nullable().default(null),
  dimensions: dims.nullable().default(null),
  active: z.boolean().default(true),
});

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
  weight: z.number().nonnegative().nullable().default(null),
  dimensions: dims.nullable().default(null),
  variants: z.array(variantSchema).default([]),
}).strict();

const saleLine = z.object({ sku, quantity: qty('quantity'), price: money.optional() }).strict();

export const saleSchema = z.object({
  register_id: id,
  reference: z.string().max(100).optional(),
  lines: z.array(saleLine).min(1, 'needs at least one line'),
}).strict();

export const refundSchema = z.object({
  register_id: id,
  original_sale_id: id.optional(),
  lines: z.array(saleLine).min(1, 'needs at least one line'),
}).strict();

export const exchangeSchema = z.object({
  register_id: id,
  original_sale_id: id.optional(),
  returned: z.array(saleLine).min(1, 'needs at least one returned line'),
  sold: z.array(saleLine).min(1, 'needs at least one sold line'),
}).strict();

export const stockCountSchema = z.object({
  outlet_id: id,
  note: z.string().max(1000).optional(),
  lines: z.array(z.object({ sku, counted: z.number().int('counted must be a whole number').min(0, 'counted must not be negative') }).strict()).min(1, 'needs at least one line'),
}).strict();

export const stockOrderSchema = z.object({
  outlet_id: id,
  reference: z.string().max(100).optional(),
  supplier: z.string().max(200).optional(),
  lines: z.array(z.object({ sku, received: qty('received') }).strict()).min(1, 'needs at least one line'),
}).strict();

export const stockTransferSchema = z.object({
  from_outlet_id: id,
  to_outlet_id: id,
  note: z.string().max(1000).optional(),
  lines: z.array(z.object({ sku, quantity: qty('quantity') }).strict()).min(1, 'needs at least one line'),
}).strict().refine((t) => t.from_outlet_id !== t.to_outlet_id, { path: ['to_outlet_id'], message: 'must differ from from_outlet_id' });

export const stockAdjustmentSchema = z.object({
  outlet_id: id,
  reason: z.string().trim().min(1, 'is required').max(200),
  lines: z.array(z.object({
    sku,
    delta: z.number().int('delta must be a whole number').refine((d) => d !== 0, 'delta must not be 0'),
  }).strict()).min(1, 'needs at least one line'),
}).strict();

export type ProductBody = z.infer<typeof productSchema>;
export type SaleBody = z.infer<typeof saleSchema>;
export type RefundBody = z.infer<typeof refundSchema>;
export type ExchangeBody = z.infer<typeof exchangeSchema>;
export type StockCountBody = z.infer<typeof stockCountSchema>;
export type StockOrderBody = z.infer<typeof stockOrderSchema>;
export type StockTransferBody = z.infer<typeof stockTransferSchema>;
export type StockAdjustmentBody = z.infer<typeof stockAdjustmentSchema>;
