// The eCom variants of a POS product: the default variant eCom made becomes the first POS variant,
// further ones are created (found again by SKU after a lost answer), changed ones written, removed
// ones deleted (never the last: eCom refuses that).
import { type EcomVariantPayload, type EcomVariantPlan, toEcomVariants } from '../../domain/ecom-mapping';
import { downloadImage, ImageUnavailable } from './image-source';
import type { EcomApiError } from './errors';
import { type ProductSync, deleteIfThere, isNotFound, objectOf, objectsOf, reloadObjects } from './product-sync';
import type { EcomImageUpload, EcomVariantWrite } from './types';
import { type EcomObject, posVariantIdOf, payloadHash, remoteIdsHeldByOthers, variantRef } from './written-state';

/** What a variant's payload hash covers: everything POS-owned but the stock (product_links.pushed_stock holds that). */
export function catalogPart(p: EcomVariantPayload): Omit<EcomVariantPayload, 'stockLevel' | 'stockTracking'> {
  const { stockLevel: _l, stockTracking: _t, ...rest } = p;
  return rest;
}

/** The variant write: every POS-owned field, the stock only where the POS owns it in this shop (M-D8). */
function variantWrite(sync: ProductSync, plan: EcomVariantPlan): EcomVariantWrite {
  return ownsStock(sync, plan) ? { ...plan.payload } : catalogPart(plan.payload);
}

export function ownsStock(sync: ProductSync, plan: EcomVariantPlan): boolean {
  if (plan.posVariantId === null) return sync.snap.stockOwner !== 'smartbill';
  return sync.snap.variants.find((v) => v.id === plan.posVariantId)?.stockOwner !== 'smartbill';
}

/** The stock level the shop was last given for a variant (null: unknown, counts as differing). */
export function pushedStockOf(sync: ProductSync, posVariantId: number | null): number | null {
  return sync.pushedStock.get(posVariantId ?? 0) ?? null;
}

export function variantPlans(sync: ProductSync): EcomVariantPlan[] {
  return toEcomVariants(sync.snap);
}

async function imageUpload(sync: ProductSync, plan: EcomVariantPlan): Promise<{ upload: EcomImageUpload; hash: string } | null> {
  if (!plan.image) return null;
  try {
    const bytes = await downloadImage(plan.image.src, sync.signal);
    return { upload: { attachment: bytes.base64, filename: plan.image.filename, title: plan.image.title }, hash: bytes.hash };
  } catch (err) {
    if (!(err instanceof ImageUnavailable)) throw err;
    sync.notes.push(err.message);
    return null;
  }
}

/** During creation: the default variant eCom made with the product becomes the first planned variant. */
async function adoptDefaultVariant(sync: ProductSync, remoteProductId: number, first: EcomVariantPlan): Promise<void> {
  const remote = await sync.client.variants.list({ product: remoteProductId });
  const held = new Set(objectsOf(sync, 'variant').map((o) => o.remoteId));
  const def = remote.find((v) => v.isDefault && !held.has(v.id)) ?? remote.find((v) => !held.has(v.id));
  if (!def) return;
  await sync.state.written('variant', variantRef(first.posVariantId), def.id, { payload: null, runKey: sync.runKey });
  await reloadObjects(sync);
}

/** A variant a lost create of ours made: same SKU, in our product, held by no other POS variant. */
async function findCreatedVariant(sync: ProductSync, remoteProductId: number, sku: string): Promise<number | undefined> {
  if (!sku) return undefined;
  const hits = (await sync.client.variants.list({ sku })).filter((v) => v.productId === remoteProductId && v.sku === sku);
  const held = new Set(objectsOf(sync, 'variant').map((o) => o.remoteId));
  const others = await remoteIdsHeldByOthers(sync.db, sync.connectionId, sync.snap.id, 'variant', hits.map((h) => h.id));
  return hits.find((h) => !held.has(h.id) && !others.has(h.id))?.id;
}

export interface VariantStepResult {
  /** POS variant ref -> remote variant id, for the links. */
  remoteIds: Map<string, number>;
  /** Removed POS variants (their links are dropped). */
  removed: (number | null)[];
}

export async function syncVariants(sync: ProductSync, remoteProductId: number, plans: EcomVariantPlan[]): Promise<VariantStepResult> {
  if (sync.runKey && plans[0] && !objectOf(sync, 'variant', variantRef(plans[0].posVariantId)) && objectsOf(sync, 'variant').length === 0) {
    await adoptDefaultVariant(sync, remoteProductId, plans[0]);
  }
  const remoteIds = new Map<string, number>();
  for (const plan of plans) {
    sync.heartbeat();
    const ref = variantRef(plan.posVariantId);
    let obj = objectOf(sync, 'variant', ref);
    if (obj && obj.remoteId === null) {
      const found = await findCreatedVariant(sync, remoteProductId, plan.payload.sku);
      if (found !== undefined) {
        await sync.state.written('variant', ref, found, { payload: null });
        obj = { ...obj, remoteId: found, payloadHash: null };
      }
    }
    if (obj && obj.remoteId !== null && (await updateVariant(sync, plan, obj))) {
      remoteIds.set(ref, obj.remoteId);
      continue;
    }
    remoteIds.set(ref, await createVariant(sync, plan, remoteProductId));
  }
  await reloadObjects(sync);
  const removed = plans.length === 0 ? [] : await removeVariants(sync, remoteProductId, new Set(plans.map((p) => variantRef(p.posVariantId))));
  return { remoteIds, removed };
}

async function createVariant(sync: ProductSync, plan: EcomVariantPlan, remoteProductId: number): Promise<number> {
  const ref = variantRef(plan.posVariantId);
  const image = await imageUpload(sync, plan);
  await sync.state.requested('variant', ref, sync.runKey);
  const created = await sync.client.variants.create({ ...variantWrite(sync, plan), product: remoteProductId, title: plan.payload.title, ...(image ? { image: image.upload } : {}) }, 'catalog');
  await sync.state.written('variant', ref, created.id, { payload: catalogPart(plan.payload), imageSrc: image ? plan.image!.src : null, imageHash: image?.hash ?? null, runKey: sync.runKey });
  if (ownsStock(sync, plan)) sync.stockWritten.set(ref, plan.payload.stockLevel);
  sync.heartbeat();
  return created.id;
}

/** Writes what changed of a variant the shop has; false when the shop no longer has it (deleted there: created again). */
async function updateVariant(sync: ProductSync, plan: EcomVariantPlan, obj: EcomObject): Promise<boolean> {
  const ref = variantRef(plan.posVariantId);
  const remoteId = obj.remoteId!;
  const catalogChanged = obj.payloadHash !== payloadHash(catalogPart(plan.payload));
  const stockChanged = ownsStock(sync, plan) && pushedStockOf(sync, plan.posVariantId) !== plan.payload.stockLevel;
  try {
    if (catalogChanged) {
      await sync.client.variants.update(remoteId, variantWrite(sync, plan), 'catalog');
      await sync.state.written('variant', ref, remoteId, { payload: catalogPart(plan.payload) });
      if (ownsStock(sync, plan)) sync.stockWritten.set(ref, plan.payload.stockLevel);
    } else if (stockChanged) {
      await sync.client.variants.update(remoteId, { stockTracking: plan.payload.stockTracking, stockLevel: plan.payload.stockLevel }, 'stock');
      sync.stockWritten.set(ref, plan.payload.stockLevel);
    }
    await syncVariantImage(sync, plan, remoteId, obj.imageSrc, obj.imageHash);
    return true;
  } catch (err) {
    if (!isNotFound(err) || !(err as EcomApiError).path.includes('/variants/')) throw err;
    await sync.state.forget('variant', ref);
    return false;
  }
}

/** The variant's own image: uploaded when its src changed (and its bytes differ), removed when gone. */
async function syncVariantImage(sync: ProductSync, plan: EcomVariantPlan, remoteId: number, src: string | null, hash: string | null): Promise<void> {
  const ref = variantRef(plan.posVariantId);
  const wanted = plan.image?.src ?? null;
  if (wanted === src) return;
  if (wanted === null) {
    await sync.client.variants.update(remoteId, { image: false }, 'catalog');
    await sync.state.written('variant', ref, remoteId, { imageSrc: null, imageHash: null });
    return;
  }
  const image = await imageUpload(sync, plan);
  if (!image) return;
  if (image.hash !== hash) await sync.client.variants.update(remoteId, { image: image.upload }, 'catalog');
  await sync.state.written('variant', ref, remoteId, { imageSrc: wanted, imageHash: image.hash });
}

function posSkuOf(sync: ProductSync, ref: string): string {
  const variantId = posVariantIdOf(ref);
  return variantId === null ? sync.snap.sku : sync.snap.variants.find((v) => v.id === variantId)?.sku ?? '';
}

/** Variants the POS no longer has (removed, deactivated, or the product changed type). */
async function removeVariants(sync: ProductSync, remoteProductId: number, wanted: Set<string>): Promise<(number | null)[]> {
  const removed: (number | null)[] = [];
  for (const obj of objectsOf(sync, 'variant')) {
    if (wanted.has(obj.posRef)) continue;
    // A create whose answer was lost may have landed: found by the POS variant's SKU, deleted too.
    const remoteId = obj.remoteId ?? (await findCreatedVariant(sync, remoteProductId, posSkuOf(sync, obj.posRef)));
    if (remoteId !== undefined) await deleteIfThere(() => sync.client.variants.delete(remoteId, 'catalog'));
    await sync.state.forget('variant', obj.posRef);
    removed.push(posVariantIdOf(obj.posRef));
  }
  if (removed.length > 0) await reloadObjects(sync);
  return removed;
}
