// WC_REST_Controller::batch_items: at most 100 items in total (413 otherwise, nothing applied);
// creates, then updates, then deletes, each on its own; failures become per-item errors.
import { asRecord, phpIntval, phpTruthy } from './coerce';
import { WpError, batchTooLarge } from './errors';
import type { ApiResult, HandlerContext } from './router';
import type { Params } from './write-common';

export const BATCH_LIMIT = 100;

export interface BatchOps {
  create(item: Params): unknown;
  update(item: Params): unknown;
  /** Batch deletes are always permanent (force=true). */
  delete(id: number): unknown;
}

function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  const rec = asRecord(v);
  return rec ? Object.values(rec) : [];
}

/** create + update + delete as counted by check_batch_limit. */
export function batchItemCount(params: Params): number {
  return ['create', 'update', 'delete'].reduce((n, key) => n + (phpTruthy(params[key]) ? list(params[key]).length : 0), 0);
}

function itemError(id: unknown, err: WpError): Record<string, unknown> {
  return { id, error: { code: err.code, message: err.message, data: err.data } };
}

function attempt(run: () => unknown, id: unknown): unknown {
  try {
    return run();
  } catch (err) {
    if (err instanceof WpError) return itemError(id, err);
    throw err;
  }
}

export function runBatch(ctx: HandlerContext, ops: BatchOps): ApiResult {
  const p = ctx.params;
  const total = batchItemCount(p);
  if (total > BATCH_LIMIT) throw batchTooLarge(BATCH_LIMIT);
  // Only the parts that produced results appear; an empty batch answers [] (an empty PHP array).
  const out: Partial<Record<'create' | 'update' | 'delete', unknown[]>> = {};
  const push = (part: 'create' | 'update' | 'delete', result: unknown): void => {
    (out[part] ??= []).push(result);
  };
  const creates = phpTruthy(p.create) ? list(p.create) : [];
  const updates = phpTruthy(p.update) ? list(p.update) : [];
  const deletes = phpTruthy(p.delete) ? list(p.delete) : [];
  for (const item of creates) push('create', attempt(() => ops.create(asRecord(item) ?? {}), 0));
  for (const item of updates) {
    const rec = asRecord(item) ?? {};
    push('update', attempt(() => ops.update(rec), rec.id ?? null));
  }
  for (const raw of deletes) {
    // (int) cast: an object or non-empty array counts as 1, anything non-numeric as 0 (skipped).
    const id = phpIntval(raw);
    if (id === 0) continue;
    push('delete', attempt(() => ops.delete(id), id));
  }
  ctx.stats.batchItems(total);
  return { status: 200, body: Object.keys(out).length > 0 ? out : [] };
}
