// The product images: each POS image src is uploaded once (base64); a src seen before is never sent
// again, a new src whose bytes were uploaded already is only re-keyed, a src gone is deleted.
import { type EcomImagePlan, toEcomImages } from '../../domain/ecom-mapping';
import { type ImageBytes, ImageUnavailable, downloadImage } from './image-source';
import { type ProductSync, deleteIfThere, objectOf, objectsOf, reloadObjects } from './product-sync';
import type { EcomImage } from './types';

async function download(sync: ProductSync, plan: EcomImagePlan): Promise<ImageBytes | null> {
  try {
    return await downloadImage(plan.src, sync.signal);
  } catch (err) {
    if (!(err instanceof ImageUnavailable)) throw err;
    sync.notes.push(err.message);
    return null;
  }
}

/** An image a lost upload of ours made: same file name and size, held by no row of ours. */
function findUploaded(sync: ProductSync, remote: EcomImage[], plan: EcomImagePlan, bytes: ImageBytes): number | undefined {
  const held = new Set(objectsOf(sync, 'image').map((o) => o.remoteId));
  return remote.find((i) => !held.has(i.id) && i.size === bytes.size && i.src.endsWith(`/${plan.filename}`))?.id;
}

export async function syncImages(sync: ProductSync, remoteProductId: number): Promise<void> {
  const plans = toEcomImages(sync.snap).filter((p, i, all) => all.findIndex((q) => q.src === p.src) === i);
  const wanted = new Set(plans.map((p) => p.src));
  let remote: EcomImage[] | undefined;
  for (const plan of plans) {
    const obj = objectOf(sync, 'image', plan.src);
    if (obj?.remoteId != null) continue;
    const bytes = await download(sync, plan);
    if (!bytes) continue;
    const sameBytes = objectsOf(sync, 'image').find((o) => o.remoteId !== null && o.imageHash === bytes.hash && !wanted.has(o.posRef));
    if (sameBytes) {
      await sync.state.forget('image', sameBytes.posRef);
      await sync.state.written('image', plan.src, sameBytes.remoteId!, { imageSrc: plan.src, imageHash: bytes.hash, runKey: sameBytes.runKey });
      await reloadObjects(sync);
      continue;
    }
    if (obj) {
      remote ??= await sync.client.images.list(remoteProductId);
      const found = findUploaded(sync, remote, plan, bytes);
      if (found !== undefined) {
        await sync.state.written('image', plan.src, found, { imageSrc: plan.src, imageHash: bytes.hash });
        await reloadObjects(sync);
        continue;
      }
    }
    await sync.state.requested('image', plan.src, sync.runKey);
    const img = await sync.client.images.create(remoteProductId, { attachment: bytes.base64, filename: plan.filename, title: plan.title }, 'catalog');
    await sync.state.written('image', plan.src, img.id, { imageSrc: plan.src, imageHash: bytes.hash, runKey: sync.runKey });
    await reloadObjects(sync);
    sync.heartbeat();
  }
  for (const obj of objectsOf(sync, 'image')) {
    if (wanted.has(obj.posRef)) continue;
    if (obj.remoteId !== null) await deleteIfThere(() => sync.client.images.delete(remoteProductId, obj.remoteId!, 'catalog'));
    await sync.state.forget('image', obj.posRef);
  }
  await reloadObjects(sync);
}
