// Pure helpers around WooCommerce batch endpoints (apis.md §1.6).
import { WooApiError } from './errors';
import type { WooBatchItemError, WooBatchRequest, WooBatchResponse, WooErrorBody } from './types';

export const WOO_BATCH_LIMIT = 100;

export type BatchOp = 'create' | 'update' | 'delete';
const OPS: readonly BatchOp[] = ['create', 'update', 'delete'];

export function chunk<T>(items: readonly T[], size: number = WOO_BATCH_LIMIT): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** create + update + delete, the number WooCommerce compares with its limit of 100. */
export function batchItemCount(req: WooBatchRequest<unknown>): number {
  return (req.create?.length ?? 0) + (req.update?.length ?? 0) + (req.delete?.length ?? 0);
}

export function isBatchItemError(item: unknown): item is WooBatchItemError {
  if (typeof item !== 'object' || item === null) return false;
  const error = (item as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

export interface BatchFailure {
  /** Position in the request's array for `op`. */
  index: number;
  op: BatchOp;
  /** 0 for a failed create. */
  id: number;
  error: WooErrorBody;
}

export interface BatchSplit<T> {
  /** Successful items: creates, then updates, then deletes, each in input order. */
  ok: T[];
  /** The same items with their position, to map results back to the request. */
  okEntries: Array<{ index: number; op: BatchOp; item: T }>;
  failed: BatchFailure[];
}

/**
 * Splits a batch answer (always HTTP 200) into successes and per-item failures.
 * Indexes match the request as long as it held no delete ids WooCommerce skips silently (0 / non-numeric).
 */
export function splitBatchResult<T>(resp: WooBatchResponse<T>): BatchSplit<T> {
  const split: BatchSplit<T> = { ok: [], okEntries: [], failed: [] };
  for (const op of OPS) {
    (resp[op] ?? []).forEach((item, index) => {
      if (isBatchItemError(item)) {
        split.failed.push({ index, op, id: typeof item.id === 'number' ? item.id : Number(item.id) || 0, error: item.error });
      } else {
        split.ok.push(item);
        split.okEntries.push({ index, op, item });
      }
    });
  }
  return split;
}

/**
 * For a duplicate-SKU failure (`product_invalid_sku`), the id of the product or variation that
 * already holds the SKU; undefined for any other error. Accepts a WooApiError, a batch item
 * (`{id, error}`) or a bare error body (`{code, message, data}`).
 */
export function isDuplicateSkuError(err: unknown): number | undefined {
  let code: unknown;
  let data: unknown;
  if (err instanceof WooApiError) {
    code = err.code;
    data = err.data;
  } else if (isBatchItemError(err)) {
    code = err.error.code;
    data = err.error.data;
  } else if (typeof err === 'object' && err !== null) {
    code = (err as { code?: unknown }).code;
    data = (err as { data?: unknown }).data;
  }
  if (code !== 'product_invalid_sku' || typeof data !== 'object' || data === null) return undefined;
  const id = Number((data as { resource_id?: unknown }).resource_id);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
