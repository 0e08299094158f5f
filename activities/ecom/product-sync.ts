// The state one push of one product to one eCom connection carries from step to step.
import type { Knex } from 'knex';
import type { ProductSnapshot } from '../../domain/product';
import type { ProductLink } from '../pos/links';
import type { EcomClient } from './client';
import { EcomApiError } from './errors';
import { type EcomObject, type EcomObjectKind, WrittenState } from './written-state';

export interface ProductSync {
  db: Knex;
  client: EcomClient;
  connectionId: string;
  snap: ProductSnapshot;
  state: WrittenState;
  /** What ecom_objects holds, kept in step with every record this push makes. */
  objects: EcomObject[];
  links: ProductLink[];
  /** product_links.pushed_stock by POS variant id (0 for the simple product's own row). */
  pushedStock: Map<number, number | null>;
  /** The creation run (saga) this push belongs to; null for a push of a product already created. */
  runKey: string | null;
  /** Stock levels written by this push, by variant ref: set into product_links.pushed_stock at the end. */
  stockWritten: Map<string, number>;
  /** What was left out and why (an image that cannot be downloaded, a last variant kept). */
  notes: string[];
  heartbeat: () => void;
  signal?: AbortSignal;
}

export async function reloadObjects(sync: ProductSync): Promise<void> {
  sync.objects = await sync.state.load();
}

export function objectOf(sync: ProductSync, kind: EcomObjectKind, posRef: string): EcomObject | undefined {
  return sync.objects.find((o) => o.kind === kind && o.posRef === posRef);
}

export function objectsOf(sync: ProductSync, kind: EcomObjectKind): EcomObject[] {
  return sync.objects.filter((o) => o.kind === kind);
}

/** A business refusal: the shop will refuse the same request again (the saga undoes, the push reports). */
export function isRefusal(err: unknown): err is EcomApiError {
  return err instanceof EcomApiError && !err.retryable && (err.kind === 'validation' || err.kind === 'not_found');
}

export const isNotFound = (err: unknown): boolean => err instanceof EcomApiError && err.kind === 'not_found';

/** Runs a DELETE whose object may be gone already (a retry after a lost answer, or deleted in the shop). */
export async function deleteIfThere(del: () => Promise<void>): Promise<void> {
  try {
    await del();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
