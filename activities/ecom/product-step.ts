// The eCom product resource of a POS product: created once (found again after a lost answer),
// then written only when its POS-owned payload changed.
import { type EcomProductPayload, toEcomProduct } from '../../domain/ecom-mapping';
import { brandIdFor, forgetBrand } from './brand-ids';
import { ecomDateTime, type EcomClient } from './client';
import { creationMarker } from './creation-runs';
import { EcomApiError } from './errors';
import { type ProductSync, objectOf } from './product-sync';
import type { EcomProduct } from './types';
import { PRODUCT_REF, payloadHash } from './written-state';

/** How far before the recorded request a lost create is looked for (the shop's clock may differ from ours). */
const LOST_CREATE_SLACK_MS = 60 * 60 * 1000;

export async function productPayload(sync: ProductSync): Promise<EcomProductPayload> {
  return toEcomProduct(sync.snap, await brandIdFor(sync.db, sync.client, sync.connectionId, sync.snap.brand));
}

/** The product a create of this run made, when its answer was lost: it carries the run's marker. */
export async function findCreatedProduct(client: EcomClient, runKey: string, requestedAt: Date): Promise<EcomProduct | undefined> {
  const since = ecomDateTime(new Date(requestedAt.getTime() - LOST_CREATE_SLACK_MS));
  return (await client.products.listAll({ created_at_min: since })).find((p) => p.data01 === creationMarker(runKey));
}

export interface ProductStepResult {
  remoteId: number;
  created: boolean;
  /** The payload was sent on this push (created or updated). */
  written: boolean;
  visibility: EcomProductPayload['visibility'];
}

/**
 * Makes the remote product hold `payload`. Creates it only inside a creation run; an unknown brand
 * id the shop refuses (deleted there) is resolved again once.
 */
export async function ensureProduct(sync: ProductSync, opts: { forceHidden?: boolean } = {}): Promise<ProductStepResult> {
  for (let attempt = 0; ; attempt++) {
    const payload = await productPayload(sync);
    if (opts.forceHidden) payload.visibility = 'hidden';
    try {
      return await writeProduct(sync, payload);
    } catch (err) {
      const brandRefused = err instanceof EcomApiError && err.kind === 'validation' && /brand/i.test(err.apiMessage) && payload.brand !== false;
      if (!brandRefused || attempt > 0) throw err;
      await forgetBrand(sync.db, sync.connectionId, payload.brand as number);
    }
  }
}

async function writeProduct(sync: ProductSync, payload: EcomProductPayload): Promise<ProductStepResult> {
  let obj = objectOf(sync, 'product', PRODUCT_REF);
  if (obj && obj.remoteId === null && sync.runKey) {
    const found = await findCreatedProduct(sync.client, sync.runKey, obj.requestedAt);
    if (found) {
      await sync.state.written('product', PRODUCT_REF, found.id, { payload: null, runKey: sync.runKey });
      obj = { ...obj, remoteId: found.id, payloadHash: null };
    }
  }
  if (!obj || obj.remoteId === null) {
    if (!sync.runKey) throw new Error(`product ${sync.snap.id} has no eCom product and no creation run`);
    await sync.state.requested('product', PRODUCT_REF, sync.runKey);
    const created = await sync.client.products.create({ ...payload, data01: creationMarker(sync.runKey) }, 'catalog');
    await sync.state.written('product', PRODUCT_REF, created.id, { payload, runKey: sync.runKey });
    sync.heartbeat();
    return { remoteId: created.id, created: true, written: true, visibility: payload.visibility };
  }
  if (obj.payloadHash === payloadHash(payload)) return { remoteId: obj.remoteId, created: false, written: false, visibility: payload.visibility };
  await sync.client.products.update(obj.remoteId, payload, 'catalog');
  await sync.state.written('product', PRODUCT_REF, obj.remoteId, { payload });
  return { remoteId: obj.remoteId, created: false, written: true, visibility: payload.visibility };
}
