// What one push of one POS product to one Lightspeed eCom connection does (issue 10 points 1-4, 6).
// Faults (429, 5xx, timeouts, lost answers, the database) are thrown for the writer's activity to
// retry; business refusals end as 'refused' after this run's creates are undone.
import type { Db } from '../../db/connection';
import { isSoldOnline } from '../../domain/product';
import { loadConnectionSnapshots } from '../pos/connection-outlets';
import { EcomClient } from './client';
import type { EcomApiError } from './errors';
import { beginOrResumeCreation, runningCreation, settleCreation } from './creation-runs';
import { undoCreation } from './creation-undo';
import { syncImages } from './image-step';
import { adoptLinkedObjects } from './link-adoption';
import { loadLinks, loadPushedStock, saveEcomLinks } from './links-step';
import { withEcomProductLock } from './product-lock';
import { removeFromShop } from './product-removal';
import { ensureProduct } from './product-step';
import { type ProductSync, isNotFound, isRefusal, objectOf, reloadObjects } from './product-sync';
import type { EcomRegistry } from './registry';
import { countingRequests, type RequestCount } from './request-count';
import { writeStockOnly } from './stock-step';
import { syncVariants, variantPlans } from './variant-step';
import { PRODUCT_REF, WrittenState } from './written-state';

export interface EcomWriteContext { db: Db; client: EcomClient; connectionId: string; heartbeat?: () => void; signal?: AbortSignal }

export interface EcomWriteOutcome {
  productId: number;
  status: 'created' | 'written' | 'unchanged' | 'hidden' | 'deleted' | 'refused' | 'skipped';
  requests: number; // requests this call sent
  writes: number; // of which writes (POST/PUT/DELETE)
  message?: string; // for refused: the shop's words; for skipped: why
  failureType?: string;
}

type Result = Pick<EcomWriteOutcome, 'status' | 'message' | 'failureType'>;

/** Builds the client of a registered connection (budget shared per key); close() it when done (it holds its own sockets). */
export function ecomClientFor(registry: EcomRegistry, connectionId: string, signal?: AbortSignal): EcomClient {
  const c = registry.get(connectionId);
  if (!c) throw new Error(`no eCom connection "${connectionId}" is registered in this process`);
  return new EcomClient({ baseUrl: c.baseUrl, apiKey: c.apiKey, apiSecret: c.apiSecret, language: c.language, ...(c.budget ? { budget: c.budget } : {}), ...(signal ? { signal } : {}) });
}

export async function writeEcomProduct(ctx: EcomWriteContext, productId: number, opts: { stockOnly: boolean }): Promise<EcomWriteOutcome> {
  const count: RequestCount = { requests: 0, writes: 0 };
  const result = await countingRequests(count, () => withEcomProductLock(ctx.db, ctx.connectionId, productId, () => writeLocked(ctx, productId, opts)));
  // The steps only send what differs: a push that ended up sending no write changed nothing.
  const status = result.status === 'written' && count.writes === 0 ? 'unchanged' : result.status;
  return { productId, ...result, status, requests: count.requests, writes: count.writes };
}

async function writeLocked(ctx: EcomWriteContext, productId: number, opts: { stockOnly: boolean }): Promise<Result> {
  const { db, connectionId } = ctx;
  const snap = (await loadConnectionSnapshots(db, connectionId, [productId])).get(productId);
  const links = await loadLinks(db, connectionId, productId);
  if (!snap || snap.archived) {
    const status = await removeFromShop(db, ctx.client, connectionId, productId, links);
    return status === 'deleted' ? { status } : { status, message: snap ? 'archived, and not in the shop' : 'not in the POS, and not in the shop' };
  }
  const state = new WrittenState(db, connectionId, productId);
  const sync: ProductSync = {
    db, client: ctx.client, connectionId, snap, state, objects: await state.load(), links, pushedStock: await loadPushedStock(db, connectionId, productId),
    runKey: await runningCreation(db, connectionId, productId), stockWritten: new Map(), notes: [], heartbeat: ctx.heartbeat ?? (() => undefined), signal: ctx.signal,
  };
  if (sync.runKey) return create(sync);
  const parentLink = links.find((l) => l.variantId === null);
  if (!objectOf(sync, 'product', PRODUCT_REF)) {
    if (parentLink) await adoptLinkedObjects(sync, parentLink.remoteId);
    else {
      if (!snap.active || !isSoldOnline(snap)) return { status: 'skipped', message: snap.active ? 'not sold online (in-store only)' : 'inactive' };
      if (variantPlans(sync).length === 0) return { status: 'skipped', message: 'no active variant: eCom needs at least one' };
      return create(sync);
    }
  }
  if (opts.stockOnly) {
    await writeStockOnly(sync);
    return { status: 'written', ...notes(sync) };
  }
  return update(sync);
}

/** The creation saga: product, default variant as the first POS variant, further variants, images, links. */
async function create(sync: ProductSync): Promise<Result> {
  const run = await beginOrResumeCreation(sync.db, sync.connectionId, sync.snap.id);
  sync.runKey = run.runKey;
  try {
    const product = await ensureProduct(sync);
    await reloadObjects(sync);
    const variants = await syncVariants(sync, product.remoteId, variantPlans(sync));
    await syncImages(sync, product.remoteId);
    await saveEcomLinks(sync, product.remoteId, variants.remoteIds, variants.removed, (trx) => settleCreation(trx, sync.connectionId, sync.snap.id, run.runKey, 'done'));
    return { status: 'created', ...notes(sync) };
  } catch (err) {
    if (!isRefusal(err)) throw err;
    const undoFailed = await undoCreation(sync, run.runKey);
    return { status: 'refused', message: err.apiMessage + (undoFailed ? `; undoing this run's creates failed: ${undoFailed}` : ''), failureType: `EcomApiError.${err.kind}` };
  }
}

/** A product already in the shop: only what changed is written; a product deleted there is created again. */
async function update(sync: ProductSync): Promise<Result> {
  const plans = variantPlans(sync);
  try {
    // Without an active variant the remote variants stay (eCom keeps at least one) and the product is hidden.
    const product = await ensureProduct(sync, { forceHidden: plans.length === 0 });
    const variants = await syncVariants(sync, product.remoteId, plans);
    await syncImages(sync, product.remoteId);
    await saveEcomLinks(sync, product.remoteId, variants.remoteIds, variants.removed);
    if (product.written && product.visibility === 'hidden') return { status: 'hidden', ...notes(sync) };
    return { status: 'written', ...notes(sync) };
  } catch (err) {
    if (isNotFound(err) && (err as EcomApiError).path.includes('/products/') && !sync.runKey) {
      // Deleted in the shop: forget it and create it again (if it should be there).
      await removeFromShop(sync.db, sync.client, sync.connectionId, sync.snap.id, []);
      sync.links = [];
      sync.pushedStock = new Map();
      await reloadObjects(sync);
      if (!sync.snap.active || !isSoldOnline(sync.snap)) return { status: 'skipped', message: 'deleted in the shop and not sold online' };
      return create(sync);
    }
    if (!isRefusal(err)) throw err;
    return { status: 'refused', message: err.apiMessage, failureType: `EcomApiError.${err.kind}` };
  }
}

function notes(sync: ProductSync): Pick<EcomWriteOutcome, 'message'> {
  return sync.notes.length > 0 ? { message: sync.notes.join('; ') } : {};
}
