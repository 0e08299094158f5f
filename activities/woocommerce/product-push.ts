import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { toWooProduct, toWooProductCreate, POSSYNC_META_KEY } from '../../domain/woo-mapping';
import { NO_MEDIA, imageProblemOf, needsDownload } from '../../domain/woo-images';
import type { WooProduct } from './types';
import { imageProblemHandler, loadKnownMedia, rememberMedia, rememberVariationMedia, variationImageOptions, writeProductWithImages } from './media';
import { getConnection } from '../pos/connections';
import { loadProductSnapshot } from '../pos/snapshot';
import { deleteLinks, linksOf, markPushed, saveLinks, type ProductLink } from '../pos/links';
import type { WooClient } from './client';
import { WooApiError, toActivityFailure } from './errors';
import { isDuplicateSkuError } from './batch';
import { remoteVariationsOf, upsertVariations, type VariationLink } from './variations';
import { writeSyncLog } from '../pos/sync-log';
import { planProductPush } from '../pos/push-activities';
import { activityInfo } from '@temporalio/activity';
import { clearPushFailures, recordPushFailures, tryRecordPushFailures } from '../pos/push-failures';
import { blockedFailure, isAuthError } from './connection-health';

export interface WooClients {
  get(connectionId: string): WooClient;
}

export interface PushDeps {
  db: Db;
  woo: WooClients;
}

export interface RemoteParentResult {
  remoteId: number;
  /** True when this push created it (or an earlier attempt of this push did): compensation may delete it. */
  createdByUs: boolean;
  requests: number;
}

export type { VariationLink };

/** Thrown (non-retryable) when the linked remote product no longer exists in the shop. */
export const REMOTE_PRODUCT_GONE = 'RemoteProductGone';

async function context(deps: PushDeps, connectionId: string, productId: number) {
  const connection = await getConnection(deps.db, connectionId);
  if (!connection) throw ApplicationFailure.nonRetryable(`connection ${connectionId} does not exist`, 'UnknownConnection');
  const snapshot = await loadProductSnapshot(deps.db, productId, [connection.outletId]);
  if (!snapshot) throw ApplicationFailure.nonRetryable(`product ${productId} does not exist in the POS`, 'UnknownProduct');
  return { connection, snapshot, client: deps.woo.get(connectionId) };
}

/** Runs `fn`, turning shop errors into Temporal failures that say whether a retry can help. */
export async function withWooErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WooApiError) throw toActivityFailure(err);
    throw err;
  }
}

function metaOf(remote: { meta_data?: { key: string; value: unknown }[] }): string | undefined {
  const m = remote.meta_data?.find((x) => x.key === POSSYNC_META_KEY);
  return m === undefined ? undefined : String(m.value);
}

export interface PushRound {
  exists: boolean;
  sku: string;
  name: string;
  /** Connections where the product must be created (not linked yet, or deleted in the shop). */
  toCreate: string[];
  pushed: string[];
  failures: { connectionId: string; message: string }[];
}

/** The featured image the shop already made of our first image: sent by its id, not downloaded again. */
function withFeaturedId<B extends { images?: { id?: number; src?: string }[] }>(b: B, saved: WooProduct): B {
  const first = b.images?.[0];
  const id = saved.images[0]?.id;
  if (!first || !id || !needsDownload(first)) return b;
  return { ...b, images: [{ ...first, id }, ...b.images!.slice(1)] };
}

export function createProductPushActivities(deps: PushDeps) {
  const activities = {
    /**
     * One push round in one activity: decide the targets, then update the product wherever it
     * is linked. A failure that a retry can fix fails the activity (Temporal retries the round,
     * which is idempotent); one that it cannot is recorded and reported.
     */
    async pushProduct(input: { productId: number }): Promise<PushRound> {
      const plan = await planProductPush(deps.db, input.productId);
      const round: PushRound = { exists: plan.exists, sku: plan.sku, name: plan.name, toCreate: [], pushed: [], failures: [] };
      const workflowId = activityInfo().workflowExecution?.workflowId ?? null;
      for (const t of plan.targets) {
        if (t.blocked) {
          // Waits for the credentials; lifting the block hands the product back to this push.
          const message = `connection ${t.connectionId} is blocked: the shop refuses its credentials`;
          round.failures.push({ connectionId: t.connectionId, message });
          await recordPushFailures(deps.db, [{ connectionId: t.connectionId, productId: input.productId, action: t.linked ? 'update' : 'create', message, willRetry: true }]);
          continue;
        }
        if (!t.linked) {
          round.toCreate.push(t.connectionId);
          continue;
        }
        try {
          await activities.pushLinkedProduct({ connectionId: t.connectionId, productId: input.productId });
          await clearPushFailures(deps.db, t.connectionId, [input.productId]);
          round.pushed.push(t.connectionId);
        } catch (err) {
          const retryable = !(err instanceof ApplicationFailure) || !err.nonRetryable;
          if (retryable) {
            await tryRecordPushFailures(deps.db, [{
              connectionId: t.connectionId, productId: input.productId, action: 'update', message: err instanceof Error ? err.message : String(err), willRetry: true,
            }]);
            throw err;
          }
          if (err.type === REMOTE_PRODUCT_GONE) {
            round.toCreate.push(t.connectionId);
            continue;
          }
          if (isAuthError(err)) {
            const blocked = await blockedFailure(deps.db, t.connectionId, err as Error, [input.productId], 'update');
            round.failures.push({ connectionId: t.connectionId, message: blocked.message });
            continue;
          }
          round.failures.push({ connectionId: t.connectionId, message: err.message });
          await writeSyncLog(deps.db, [{ connectionId: t.connectionId, productId: input.productId, workflowId, action: 'update', status: 'failed', message: err.message }]);
          await recordPushFailures(deps.db, [{ connectionId: t.connectionId, productId: input.productId, action: 'update', message: err.message, willRetry: false }]);
        }
      }
      return round;
    },

    /**
     * Saga step 1: the parent (or simple) product. Idempotent: looks the SKU up first, so a
     * retry after a create whose answer was lost finds the product instead of creating another.
     */
    async createRemoteParent(input: { connectionId: string; productId: number }): Promise<RemoteParentResult> {
      return withWooErrors(async () => {
        const { snapshot, client } = await context(deps, input.connectionId, input.productId);
        const before = client.requestCount;
        const media = (await loadKnownMedia(deps.db, input.connectionId, [snapshot.id])).get(snapshot.id) ?? NO_MEDIA;
        const onProblem = imageProblemHandler(deps.db, {
          connectionId: input.connectionId, productId: snapshot.id, sku: snapshot.sku, workflowId: activityInfo().workflowExecution?.workflowId ?? null,
        });
        const owner = { connectionId: input.connectionId, productId: snapshot.id, variantId: null };
        // An image the shop cannot fetch does not block the product (issue 6 point 2); the answer's media ids are kept (point 1).
        const update = async (id: number) => {
          const w = await writeProductWithImages(
            toWooProduct(snapshot, { media }), (b) => client.updateProduct(id, b), (p) => onProblem(null, p),
            async () => (await client.getProduct(id)).images[0]?.id,
          );
          await rememberMedia(deps.db, owner, w.sent.images, w.answer.images);
        };
        const found = (await client.findBySkus([snapshot.sku])).find((r) => r.sku === snapshot.sku);
        if (found && found.type === 'variation') {
          throw ApplicationFailure.nonRetryable(
            `SKU ${snapshot.sku} belongs to a variation (id ${found.id}) of product ${found.parent_id} in the shop`,
            'SkuConflict',
          );
        }
        if (found) {
          // Matched by SKU (M-B5): the shop product is overwritten with the POS details (its weight stays the shop's, M-A4).
          await update(found.id);
          return { remoteId: found.id, createdByUs: metaOf(found) === String(snapshot.id), requests: client.requestCount - before };
        }
        try {
          // A new shop product starts with the POS weight (issue 6 point 7).
          let savedAnyway: WooProduct | undefined;
          const created = await writeProductWithImages(toWooProductCreate(snapshot, { media }), async (b) => {
            if (savedAnyway) return client.updateProduct(savedAnyway.id, withFeaturedId(b, savedAnyway));
            try {
              return await client.createProduct(b);
            } catch (err) {
              // WooCommerce saves a new product as soon as its featured image is set: a gallery image failing
              // after it answers 400 yet leaves the product created (recorded on 8.9.1). Continue on that one.
              if (err instanceof WooApiError && imageProblemOf(err.code, err.wooMessage)) {
                savedAnyway = (await client.findBySkus([snapshot.sku])).find((r) => r.sku === snapshot.sku && r.type !== 'variation') as WooProduct | undefined;
              }
              throw err;
            }
          }, (p) => onProblem(null, p));
          await rememberMedia(deps.db, owner, created.sent.images, created.answer.images);
          return { remoteId: created.answer.id, createdByUs: true, requests: client.requestCount - before };
        } catch (err) {
          const holder = isDuplicateSkuError(err);
          if (holder) {
            // Someone created it between our lookup and our create (another workflow, a lost answer).
            await update(holder);
            return { remoteId: holder, createdByUs: false, requests: client.requestCount - before };
          }
          throw err;
        }
      });
    },

    /** Saga step 2: the variations of a variable product, created or updated by SKU in batches of 100. */
    async upsertRemoteVariations(input: { connectionId: string; productId: number; remoteParentId: number }): Promise<VariationLink[]> {
      return withWooErrors(async () => {
        const { snapshot, client } = await context(deps, input.connectionId, input.productId);
        if (snapshot.type !== 'variable') return [];
        const remote = await client.listAllVariations(input.remoteParentId);
        const media = (await loadKnownMedia(deps.db, input.connectionId, [snapshot.id])).get(snapshot.id) ?? NO_MEDIA;
        const onProblem = imageProblemHandler(deps.db, {
          connectionId: input.connectionId, productId: snapshot.id, sku: snapshot.sku, workflowId: activityInfo().workflowExecution?.workflowId ?? null,
        });
        const links = await upsertVariations(client, snapshot, input.remoteParentId, remote, variationImageOptions({ productId: snapshot.id, media, onProblem }));
        await rememberVariationMedia(deps.db, input.connectionId, snapshot.id, links, media);
        return links.map((l) => ({ variantId: l.variantId, remoteId: l.remoteId }));
      });
    },

    /** Saga step 3: the links that make later pushes updates. */
    async linkRemoteProduct(input: { connectionId: string; productId: number; remoteParentId: number; variations: VariationLink[] }): Promise<void> {
      const product = await deps.db('products').where({ id: input.productId }).first('version');
      const links: ProductLink[] = [
        { connectionId: input.connectionId, productId: input.productId, variantId: null, remoteId: input.remoteParentId, remoteParentId: null },
        ...input.variations.map((v) => ({
          connectionId: input.connectionId, productId: input.productId, variantId: v.variantId, remoteId: v.remoteId,
          remoteParentId: input.remoteParentId,
        })),
      ];
      await deps.db.transaction(async (trx) => {
        await deleteLinks(trx, input.connectionId, input.productId);
        await saveLinks(trx, links, product ? Number(product.version) : null);
      });
    },

    /** Compensation for step 1: removes a remote product this push created. Already gone is fine. */
    async deleteRemoteProduct(input: { connectionId: string; remoteId: number }): Promise<void> {
      return withWooErrors(async () => {
        try {
          await deps.woo.get(input.connectionId).deleteProduct(input.remoteId, { force: true });
        } catch (err) {
          if (err instanceof WooApiError && (err.status === 404 || err.status === 410)) return;
          throw err;
        }
      });
    },

    /**
     * The common case: a linked product. Sends every POS-owned field (M-A3) to the parent and
     * its variations; a variation the shop lacks is created, by SKU.
     */
    async pushLinkedProduct(input: { connectionId: string; productId: number }): Promise<{ requests: number; version: number }> {
      return withWooErrors(async () => {
        const { snapshot, client } = await context(deps, input.connectionId, input.productId);
        const before = client.requestCount;
        const links = await linksOf(deps.db, input.connectionId, [input.productId]);
        const parent = links.find((l) => l.variantId === null);
        if (!parent) throw ApplicationFailure.nonRetryable(`product ${input.productId} is not linked to ${input.connectionId}`, 'NotLinked');
        const workflowId = activityInfo().workflowExecution?.workflowId ?? null;
        const media = (await loadKnownMedia(deps.db, input.connectionId, [input.productId])).get(input.productId) ?? NO_MEDIA;
        const onProblem = imageProblemHandler(deps.db, { connectionId: input.connectionId, productId: input.productId, sku: snapshot.sku, workflowId });
        let written;
        try {
          // Images go by media id once uploaded (issue 6 point 1); one the shop cannot fetch is left out and reported (point 2).
          written = await writeProductWithImages(
            toWooProduct(snapshot, { media }), (b) => client.updateProduct(parent.remoteId, b), (p) => onProblem(null, p),
            async () => (await client.getProduct(parent.remoteId)).images[0]?.id,
          );
        } catch (err) {
          if (err instanceof WooApiError && (err.status === 404 || (err.status === 400 && /invalid_id/.test(err.code)))) {
            await deleteLinks(deps.db, input.connectionId, input.productId);
            throw ApplicationFailure.nonRetryable(
              `remote product ${parent.remoteId} of ${snapshot.sku} is gone from ${input.connectionId}; the link was removed`,
              REMOTE_PRODUCT_GONE,
            );
          }
          throw err;
        }
        await rememberMedia(deps.db, { connectionId: input.connectionId, productId: input.productId, variantId: null }, written.sent.images, written.answer.images, media);
        if (snapshot.type === 'variable') {
          const remote = await remoteVariationsOf(client, snapshot, parent.remoteId, links);
          const variationLinks = await upsertVariations(
            client, snapshot, parent.remoteId, remote, variationImageOptions({ productId: input.productId, media, onProblem }),
          );
          await rememberVariationMedia(deps.db, input.connectionId, input.productId, variationLinks, media);
          await saveLinks(
            deps.db,
            variationLinks.map((v) => ({
              connectionId: input.connectionId, productId: input.productId, variantId: v.variantId, remoteId: v.remoteId,
              remoteParentId: parent.remoteId,
            })),
            snapshot.version,
          );
        }
        await markPushed(deps.db, input.connectionId, input.productId, snapshot.version);
        const requests = client.requestCount - before;
        await writeSyncLog(deps.db, [{
          connectionId: input.connectionId, productId: input.productId, workflowId: activityInfo().workflowExecution?.workflowId ?? null,
          action: 'update', status: 'ok', message: `pushed version ${snapshot.version} of ${snapshot.sku}`, details: { requests },
        }]);
        return { requests, version: snapshot.version };
      });
    },
  };
  return activities;
}

