/**
 * The DB side of product images per connection (issue 6 points 1 and 2): which media id the
 * shop gave each POS image, and one write that survives an image the shop cannot use.
 * The payload rules themselves are pure, in domain/woo-images.ts.
 */
import type { Knex } from 'knex';
import {
  imageAfterProblem, imageProblemOf, imagesAfterProblem, mediaKey, needsDownload, uploadedMedia,
  type ImageProblem, type KnownMedia, type WooImageRef,
} from '../../domain/woo-images';
import { toWooVariation, toWooVariationCreate } from '../../domain/woo-mapping';
import { writeSyncLog, type SyncLogEntry } from '../pos/sync-log';
import { WooApiError } from './errors';
import type { UpsertVariationsOptions, VariationLink } from './variations';

type Db = Knex | Knex.Transaction;

/** Media ids known for these products on this connection, per product. */
export async function loadKnownMedia(db: Db, connectionId: string, productIds: number[]): Promise<Map<number, KnownMedia>> {
  const out = new Map<number, Map<string, number>>();
  if (productIds.length === 0) return out;
  const rows: { product_id: number; variant_id: number; src: string; media_id: string }[] = await db('remote_media')
    .where({ connection_id: connectionId }).whereIn('product_id', productIds)
    .select('product_id', 'variant_id', 'src', 'media_id');
  for (const r of rows) {
    let m = out.get(r.product_id);
    if (!m) out.set(r.product_id, (m = new Map()));
    m.set(mediaKey(r.variant_id === 0 ? null : r.variant_id, r.src), Number(r.media_id));
  }
  return out;
}

export interface MediaOwner {
  connectionId: string;
  productId: number;
  /** null: the product's own images; else the variant's single image. */
  variantId: number | null;
}

/**
 * After a write the shop accepted: the owner's media become exactly the images sent, with the
 * ids the shop answered. An image no longer sent (changed or removed in the POS) is forgotten.
 * `sent` undefined means the write left the images alone: nothing changes.
 */
export async function rememberMedia(
  db: Db, owner: MediaOwner, sent: WooImageRef[] | undefined, answered: { id: number }[] | undefined, known?: KnownMedia,
): Promise<void> {
  await rememberMediaMany(
    db, owner.connectionId, [{ productId: owner.productId, variantId: owner.variantId, sent, answered }],
    known ? new Map([[owner.productId, known]]) : undefined,
  );
}

export interface MediaAnswer {
  productId: number;
  variantId: number | null;
  sent: WooImageRef[] | undefined;
  answered: { id: number }[] | undefined;
}

/** The media ids `known` holds for one owner (the product's own images, or one variant's), by src. */
function knownOf(known: KnownMedia | undefined, variantId: number | null): Map<string, number> {
  const prefix = mediaKey(variantId, '');
  const out = new Map<string, number>();
  for (const [key, id] of known ?? []) if (key.startsWith(prefix)) out.set(key.slice(prefix.length), id);
  return out;
}

function sameMedia(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([src, id]) => b.get(src) === id);
}

/**
 * rememberMedia for many owners of one connection in two statements (catalog pages, variations).
 * With `known` (what was loaded before the write, per product), owners whose media did not change
 * are not written at all: an unchanged push costs no statement.
 */
export async function rememberMediaMany(
  db: Db, connectionId: string, answers: MediaAnswer[], known?: ReadonlyMap<number, KnownMedia>,
): Promise<void> {
  const owners: [number, number][] = [];
  const rows: { connection_id: string; product_id: number; variant_id: number; src: string; media_id: number }[] = [];
  for (const a of answers) {
    if (a.sent === undefined) continue;
    const uploaded = uploadedMedia(a.sent, a.answered);
    if (a.sent.length > 0 && uploaded.length === 0) continue; // an answer we cannot read: keep what we knew
    const desired = new Map(uploaded.map((r) => [r.src, r.id]));
    if (known && sameMedia(desired, knownOf(known.get(a.productId), a.variantId))) continue;
    owners.push([a.productId, a.variantId ?? 0]);
    for (const [src, id] of desired) {
      rows.push({ connection_id: connectionId, product_id: a.productId, variant_id: a.variantId ?? 0, src, media_id: id });
    }
  }
  if (owners.length === 0) return;
  await db('remote_media').where({ connection_id: connectionId }).whereIn(['product_id', 'variant_id'], owners).delete();
  if (rows.length > 0) await db('remote_media').insert(rows).onConflict(['connection_id', 'product_id', 'variant_id', 'src']).merge();
}

/** The shop refused these media ids (deleted in WooCommerce): the next write sends the images by src. */
export async function forgetMedia(db: Db, connectionId: string, productId: number, mediaId?: number): Promise<void> {
  const q = db('remote_media').where({ connection_id: connectionId, product_id: productId });
  await (mediaId ? q.andWhere({ media_id: mediaId }) : q).delete();
}

/** The sync-log line that shows an image problem in `possync status` and `possync failures`. */
export function imageProblemLog(
  owner: MediaOwner & { sku: string; workflowId?: string | null }, problem: ImageProblem,
): SyncLogEntry {
  const what = problem.kind === 'upload'
    ? `image ${problem.src ?? '(one of the new images)'} of ${owner.sku} was not taken by the shop and was left out; the other fields were pushed`
    : `media id ${problem.id} of ${owner.sku} is gone from the shop (deleted in WooCommerce); possync forgot it and sends the image by URL again`;
  return {
    connectionId: owner.connectionId, productId: owner.productId, workflowId: owner.workflowId ?? null,
    action: 'image', status: problem.kind === 'upload' ? 'failed' : 'ok',
    message: `${what}: ${problem.message}`, details: { problem, variant_id: owner.variantId },
  };
}

/**
 * One product write that an image problem cannot block: when the shop refuses an image, the
 * same payload is sent again without it (or by src when its media id is gone), so stock, price
 * and every other field still arrive. Each problem is handed to `onProblem`.
 */
export async function writeProductWithImages<P extends { images?: WooImageRef[] }, T>(
  payload: P, write: (payload: P) => Promise<T>, onProblem: (problem: ImageProblem) => Promise<void>,
  /** The shop's featured image id now, read when WooCommerce saved it before a later image failed. */
  featuredNow?: () => Promise<number | undefined>,
): Promise<{ answer: T; sent: P }> {
  let current = payload;
  for (let attempt = 0; ; attempt++) {
    try {
      return { answer: await write(current), sent: current };
    } catch (err) {
      const problem = err instanceof WooApiError ? imageProblemOf(err.code, err.wooMessage) : undefined;
      let next = problem && current.images && attempt <= (payload.images?.length ?? 0) ? imagesAfterProblem(current.images, problem) : undefined;
      if (!problem || !next) throw err;
      await onProblem(problem);
      if (featuredNow && featuredSavedBeforeFailure(current.images, problem) && next[0] && needsDownload(next[0])) {
        // WooCommerce saves the product as soon as its featured image is set; that attachment is ours already.
        const id = await featuredNow();
        if (id) next = [{ ...next[0], id }, ...next.slice(1)];
      }
      current = { ...current, images: next };
    }
  }
}

/** The first image was new and a later one failed: WooCommerce had already set (and saved) the first as featured. */
function featuredSavedBeforeFailure(sent: WooImageRef[] | undefined, problem: ImageProblem): boolean {
  const first = sent?.[0];
  return !!first && needsDownload(first) && problem.kind === 'upload' && problem.src !== undefined && problem.src !== first.src;
}

/** A batch item refused for its image: the body to send again (image left out, or by src), or undefined. */
export function retryItemWithoutImageProblem<B extends { images?: WooImageRef[]; image?: WooImageRef }>(
  body: B, error: { code?: string; message?: string },
): { body: B; problem: ImageProblem } | undefined {
  const problem = imageProblemOf(error.code, error.message);
  if (!problem) return undefined;
  if (body.images) {
    const images = imagesAfterProblem(body.images, problem);
    return images ? { body: { ...body, images }, problem } : undefined;
  }
  if (body.image) {
    const { image: _old, ...rest } = body;
    const image = imageAfterProblem(body.image, problem);
    return { body: (image ? { ...rest, image } : rest) as B, problem };
  }
  return undefined;
}

/**
 * upsertVariations options for images: bodies with the known media ids (creates also carry the
 * POS weight, issue 6 point 7), and an item refused for its image sent once more without it.
 */
export function variationImageOptions(input: {
  productId: number;
  media: KnownMedia;
  /** false: never make the shop download (stock-only pushes). */
  download?: boolean;
  onProblem: (variantId: number, problem: ImageProblem) => Promise<void>;
}): UpsertVariationsOptions {
  const o = { media: input.media, download: input.download };
  return {
    body: (v, op) => (op === 'create' ? toWooVariationCreate(input.productId, v, o) : toWooVariation(input.productId, v, o)),
    retryItem: async (variantId, body, error) => {
      const retry = retryItemWithoutImageProblem(body, error);
      if (!retry) return undefined;
      await input.onProblem(variantId, retry.problem);
      if (input.download === false && retry.body.image && needsDownload(retry.body.image)) {
        const { image: _dropped, ...rest } = retry.body;
        return rest;
      }
      return retry.body;
    },
  };
}

/** After upsertVariations: each variant's media row follows the image it sent. */
export async function rememberVariationMedia(
  db: Db, connectionId: string, productId: number, links: VariationLink[], known?: KnownMedia,
): Promise<void> {
  await rememberMediaMany(db, connectionId, links.filter((l) => l.sentImage !== undefined).map((l) => ({
    productId, variantId: l.variantId, sent: l.sentImage!.src ? [l.sentImage!] : [], answered: l.imageId ? [{ id: l.imageId }] : [],
  })), known ? new Map([[productId, known]]) : undefined);
}

/**
 * The standard image-problem handler of a push: a refused media id is forgotten (the retry
 * sends the image by src), and every problem goes to the sync log.
 */
export function imageProblemHandler(db: Db, owner: { connectionId: string; productId: number; sku: string; workflowId?: string | null }) {
  return async (variantId: number | null, problem: ImageProblem): Promise<void> => {
    if (problem.kind === 'invalid-id') await forgetMedia(db, owner.connectionId, owner.productId, problem.id || undefined);
    await writeSyncLog(db, [imageProblemLog({ ...owner, variantId }, problem)]);
  };
}
