import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { toWooProduct, toWooProductCreate, writtenStock } from '../../domain/woo-mapping';
import { NO_MEDIA, imageProblemOf, needsDownload } from '../../domain/woo-images';
import type { WooProduct } from './types';
import { imageProblemHandler, loadKnownMedia, rememberMedia, rememberVariationMedia, variationImageOptions, writeProductWithImages } from './media';
import { getConnection } from '../pos/connections';
import { loadConnectionSnapshot } from '../pos/connection-outlets';
import { deleteLinks, linksOf, markPushed, recordPushedStock, saveLinks, type ProductLink } from '../pos/links';
import type { WooClient } from './client';
import { WooApiError, toActivityFailure } from './errors';
import { isDuplicateSkuError } from './batch';
import { remoteVariationsOf, upsertVariations, type VariationLink } from './variations';
import { writeSyncLog } from '../pos/sync-log';
import { clearShopState, markTrashed, shopStates } from './trash';
import { heldByAnother } from './reused-ids';
import { planProductPush } from '../pos/push-activities';
import { activityInfo, heartbeat } from '@temporalio/activity';
import { clearPushFailures, failingForMs, recordPushFailures, tryRecordPushFailures } from '../pos/push-failures';
import { observePushLag } from '../../server/metrics/push-lag';
import { blockedFailure, isAuthError } from './connection-health';
import {
  DEFAULT_CREATION_TIMING, createdByRun, isOurProduct, recordCreation,
  removeDuplicateProducts, removeDuplicateVariations, settleCreation, supersede, unsettledCreations, timingForBatch, waitForCatalogClaims, waitForEarlierCreates, withCreateKey, type CreationTiming,
} from './shop-creations';

export interface WooClients {
  get(connectionId: string): WooClient;
}

export interface PushDeps {
  db: Db;
  woo: WooClients;
  /** How long a create whose answer was lost may still land; default DEFAULT_CREATION_TIMING. */
  creationTiming?: CreationTiming;
}

export interface RemoteParentResult {
  remoteId: number;
  /** True when this push created it (or an earlier attempt of this push did): compensation may delete it. */
  createdByUs: boolean;
  requests: number;
  /** An earlier create's answer was lost: a late duplicate may still appear, look again after linking. */
  uncertain?: boolean;
  /** Created by this very call: it has no variations yet. */
  fresh?: boolean;
  /** The stock level written to a simple product (absent: not written, M-D8), for its link's pushed_stock. */
  stock?: number;
}

export type { VariationLink };

const isNotFound = (err: unknown): boolean =>
  err instanceof WooApiError && (err.status === 404 || (err.status === 400 && /invalid_id/.test(err.code)));

/** Thrown (non-retryable) when the linked remote product no longer exists in the shop (or holds another product now). */
export const REMOTE_PRODUCT_GONE = 'RemoteProductGone';

async function context(deps: PushDeps, connectionId: string, productId: number) {
  const connection = await getConnection(deps.db, connectionId);
  if (!connection) throw ApplicationFailure.nonRetryable(`connection ${connectionId} does not exist`, 'UnknownConnection');
  const snapshot = await loadConnectionSnapshot(deps.db, connection.id, productId);
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
  const timing = deps.creationTiming ?? DEFAULT_CREATION_TIMING;
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
          // An earlier failed attempt claimed the change: it was committed before that failure began.
          const failingMs = plan.committedAt === undefined ? await failingForMs(deps.db, t.connectionId, input.productId) : undefined;
          await clearPushFailures(deps.db, t.connectionId, [input.productId]);
          observePushLag(t.connectionId, 'single', [plan.committedAt ?? (failingMs === undefined ? undefined : Date.now() - failingMs)]);
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
     * Saga step 1: the parent (or simple) product. Never repeats a create whose outcome is
     * unknown (issue 6 point 3): when an earlier create of this product was sent but never
     * answered, the SKU is looked up (drafts, pending and private included) until that create must
     * have landed, and what it made is adopted; only then may a new create be sent, recorded before
     * it goes out and carrying a creation key tagged with this run. Duplicates of ours are removed;
     * a SKU the shop already has is matched (M-B5).
     */
    async createRemoteParent(input: { connectionId: string; productId: number }): Promise<RemoteParentResult> {
      return withWooErrors(async () => {
        const { snapshot, client } = await context(deps, input.connectionId, input.productId);
        const before = client.requestCount;
        const runId = activityInfo().workflowExecution!.runId;
        const workflowId = activityInfo().workflowExecution!.workflowId;
        const media = (await loadKnownMedia(deps.db, input.connectionId, [snapshot.id])).get(snapshot.id) ?? NO_MEDIA;
        const onProblem = imageProblemHandler(deps.db, { connectionId: input.connectionId, productId: snapshot.id, sku: snapshot.sku, workflowId });
        const written = writtenStock(snapshot).find((w) => w.variantId === null);
        const stock = written ? { stock: written.stock } : {};
        const owner = { connectionId: input.connectionId, productId: snapshot.id, variantId: null };
        // An image the shop cannot fetch does not block the product (issue 6 point 2); the answer's media ids are kept (point 1).
        const update = async (id: number) => {
          const w = await writeProductWithImages(
            toWooProduct(snapshot, { media }), (b) => client.updateProduct(id, b), (p) => onProblem(null, p),
            async () => (await client.getProduct(id)).images[0]?.id,
          );
          await rememberMedia(deps.db, owner, w.sent.images, w.answer.images);
        };
        let unsettled = await unsettledCreations(deps.db, input.connectionId, input.productId, 'product');
        // A catalog sync's batch holding the product's creation claim (issue 6 point 4) is waited
        // for until it settles (it also links), or until it must have landed if its answer was lost.
        const waitedForCatalog = await waitForCatalogClaims(deps.db, unsettled, timing);
        if (waitedForCatalog) unsettled = await unsettledCreations(deps.db, input.connectionId, input.productId, 'product');
        // With no earlier create in doubt the create goes first: a SKU the shop already has is
        // refused with its holder's id (matched below), which saves the lookup on the common path.
        const found = unsettled.length === 0 && !waitedForCatalog
          ? []
          : await waitForEarlierCreates(unsettled, timing, () => client.findBySkus([snapshot.sku]), (f) => f.length > 0);
        heartbeat();
        const products = found.filter((r) => r.type !== 'variation');
        const variation = found.find((r) => r.type === 'variation');
        if (products.length === 0 && variation) {
          throw ApplicationFailure.nonRetryable(
            `SKU ${snapshot.sku} belongs to a variation (id ${variation.id}) of product ${variation.parent_id} in the shop`,
            'SkuConflict',
          );
        }
        if (products.length > 0) {
          const ours = products.filter((r) => isOurProduct(r.meta_data, snapshot.id)).sort((a, b) => a.id - b.id);
          const keep = ours[0] ?? products[0]!;
          await supersede(deps.db, unsettled.map((u) => u.id), keep.id);
          await removeDuplicateProducts(deps.db, client, { ...input, sku: snapshot.sku, keepId: keep.id, workflowId }, products);
          // Ours from an earlier attempt, or matched by SKU (M-B5): overwritten with the POS details (its weight stays the shop's, M-A4).
          await update(keep.id);
          return {
            remoteId: keep.id, createdByUs: createdByRun(keep.meta_data, runId), requests: client.requestCount - before, uncertain: unsettled.length > 0, ...stock,
          };
        }
        // The earlier creates, if any, made nothing.
        await supersede(deps.db, unsettled.map((u) => u.id));
        const creation = await recordCreation(deps.db, { ...input, kind: 'product', runId });
        let savedAnyway: WooProduct | undefined;
        try {
          // A new shop product starts with the POS weight (issue 6 point 7).
          const created = await writeProductWithImages(withCreateKey(toWooProductCreate(snapshot, { media }), creation.key), async (b) => {
            if (savedAnyway) return client.updateProduct(savedAnyway.id, withFeaturedId(b, savedAnyway));
            try {
              return await client.createProduct(b);
            } catch (err) {
              // WooCommerce saves a new product as soon as its featured image is set: a gallery image failing
              // after it answers 400 yet leaves the product created, without its meta (recorded on 8.9.1).
              // Continue on that one; the update that follows gives it our creation key.
              if (err instanceof WooApiError && imageProblemOf(err.code, err.wooMessage)) {
                savedAnyway = (await client.findBySkus([snapshot.sku])).find((r) => r.sku === snapshot.sku && r.type !== 'variation') as WooProduct | undefined;
              }
              throw err;
            }
          }, (p) => onProblem(null, p));
          await settleCreation(deps.db, creation.id, 'done', created.answer.id);
          await rememberMedia(deps.db, owner, created.sent.images, created.answer.images);
          return { remoteId: created.answer.id, createdByUs: true, requests: client.requestCount - before, uncertain: unsettled.length > 0, fresh: true, ...stock };
        } catch (err) {
          const holder = isDuplicateSkuError(err);
          if (holder) {
            // The shop already has the SKU (M-B5: matched, overwritten with the POS details), or a
            // variation holds it; drafts, pending and private products count, trashed ones do not.
            await settleCreation(deps.db, creation.id, 'refused');
            const [held] = (await client.findBySkus([snapshot.sku])).filter((r) => r.id === holder);
            if (!held || held.type === 'variation') {
              throw ApplicationFailure.nonRetryable(
                `SKU ${snapshot.sku} belongs to ${held ? `a variation (id ${held.id}) of product ${held.parent_id}` : `shop item ${holder}`} in the shop`,
                'SkuConflict',
              );
            }
            await update(holder);
            return { remoteId: holder, createdByUs: createdByRun(held.meta_data, runId), requests: client.requestCount - before, ...stock };
          }
          // A product saved before its images failed exists: the next attempt finds it by SKU.
          // Otherwise a refusal made nothing; any other failure (timeout, 5xx, network) leaves the outcome unknown.
          if (savedAnyway) await settleCreation(deps.db, creation.id, 'done', savedAnyway.id);
          else if (err instanceof WooApiError && err.status >= 400 && err.status < 500) await settleCreation(deps.db, creation.id, 'refused');
          throw err;
        }
      });
    },

    /**
     * Saga step 2: the variations of a variable product, created or updated by SKU in batches of
     * 100, with the same rule as step 1: a batch whose answer was lost is waited for before any
     * variation is created again, and duplicates of ours (same SKU) are removed.
     */
    async upsertRemoteVariations(input: { connectionId: string; productId: number; remoteParentId: number; freshParent?: boolean }): Promise<VariationLink[]> {
      return withWooErrors(async () => {
        const { snapshot, client } = await context(deps, input.connectionId, input.productId);
        const { freshParent, ...ids } = input;
        if (snapshot.type !== 'variable') return [];
        const runId = activityInfo().workflowExecution!.runId;
        const workflowId = activityInfo().workflowExecution!.workflowId;
        const wanted = snapshot.variants.map((v) => v.sku.toLowerCase());
        const unsettled = await unsettledCreations(deps.db, input.connectionId, input.productId, 'variations');
        const listed = await waitForEarlierCreates(
          unsettled, timingForBatch(timing, wanted.length), async () => (input.freshParent && unsettled.length === 0 ? [] : client.listAllVariations(input.remoteParentId)),
          (f) => wanted.every((sku) => f.some((r) => r.sku.toLowerCase() === sku)),
        );
        heartbeat();
        const remote = await removeDuplicateVariations(deps.db, client, { ...ids, sku: snapshot.sku, workflowId }, listed);
        await supersede(deps.db, unsettled.map((u) => u.id));
        const missing = wanted.some((sku) => !remote.some((r) => r.sku.toLowerCase() === sku));
        const creation = missing ? await recordCreation(deps.db, { ...ids, kind: 'variations', runId }) : undefined;
        const media = (await loadKnownMedia(deps.db, input.connectionId, [snapshot.id])).get(snapshot.id) ?? NO_MEDIA;
        const onProblem = imageProblemHandler(deps.db, { connectionId: input.connectionId, productId: snapshot.id, sku: snapshot.sku, workflowId });
        try {
          const links = await upsertVariations(client, snapshot, input.remoteParentId, remote, {
            ...variationImageOptions({ productId: snapshot.id, media, onProblem }), createKey: creation?.key,
          });
          if (creation) await settleCreation(deps.db, creation.id, 'done');
          await rememberVariationMedia(deps.db, input.connectionId, snapshot.id, links, media);
          return links.map((l) => ({ variantId: l.variantId, remoteId: l.remoteId, ...(l.stock === undefined ? {} : { stock: l.stock }) }));
        } catch (err) {
          // Refused items: the answer came, so what was created is known (and tagged with this run).
          if (creation && err instanceof ApplicationFailure && err.nonRetryable) await settleCreation(deps.db, creation.id, 'done');
          else if (creation && err instanceof WooApiError && err.status >= 400 && err.status < 500) await settleCreation(deps.db, creation.id, 'refused');
          throw err;
        }
      });
    },

    /**
     * Saga step 3: the links that make later pushes updates, with the stock levels steps 1 and 2
     * wrote (`parentStock`: absent from runs recorded before it was passed; then unknown).
     */
    async linkRemoteProduct(input: { connectionId: string; productId: number; remoteParentId: number; variations: VariationLink[]; parentStock?: number }): Promise<void> {
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
        await recordPushedStock(trx, input.connectionId, [
          ...(input.parentStock === undefined ? [] : [{ productId: input.productId, variantId: null, stock: input.parentStock }]),
          ...input.variations.flatMap((v) => (v.stock === undefined ? [] : [{ productId: input.productId, variantId: v.variantId, stock: v.stock }])),
        ]);
      });
    },

    /**
     * After the link: a create that landed after its answer was lost (past the wait) leaves a
     * second product of ours with the same SKU. It is removed, with a log line.
     */
    async removeDuplicateCreations(input: { connectionId: string; productId: number; keepId: number }): Promise<number[]> {
      return withWooErrors(async () => {
        const { snapshot, client } = await context(deps, input.connectionId, input.productId);
        return removeDuplicateProducts(deps.db, client, {
          ...input, sku: snapshot.sku, workflowId: activityInfo().workflowExecution!.workflowId,
        });
      });
    },

    /**
     * Compensation for step 2 under a parent this run did not create: deletes the variations that
     * carry this run's creation key, and only those (issue 7 point 5).
     */
    async deleteRunVariations(input: { connectionId: string; remoteParentId: number }): Promise<number> {
      return withWooErrors(async () => {
        const client = deps.woo.get(input.connectionId);
        const runId = activityInfo().workflowExecution!.runId;
        let mine: number[];
        try {
          mine = (await client.listAllVariations(input.remoteParentId)).filter((v) => createdByRun(v.meta_data, runId)).map((v) => v.id);
        } catch (err) {
          if (err instanceof WooApiError && err.kind === 'not_found') return 0;
          throw err;
        }
        if (mine.length > 0) await client.batchVariations(input.remoteParentId, { delete: mine });
        return mine.length;
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
    async pushLinkedProduct(input: { connectionId: string; productId: number }): Promise<{ requests: number; version: number; trashed?: boolean }> {
      return withWooErrors(async () => {
        const { snapshot, client } = await context(deps, input.connectionId, input.productId);
        const before = client.requestCount;
        const links = await linksOf(deps.db, input.connectionId, [input.productId]);
        const parent = links.find((l) => l.variantId === null);
        if (!parent) throw ApplicationFailure.nonRetryable(`product ${input.productId} is not linked to ${input.connectionId}`, 'NotLinked');
        const workflowId = activityInfo().workflowExecution?.workflowId ?? null;
        // A product trashed in the shop stays trashed (issue 6 point 6): an update would untrash it.
        const shopState = (await shopStates(deps.db, input.connectionId, [input.productId])).get(input.productId);
        const gone = async (why: string): Promise<never> => {
          await deleteLinks(deps.db, input.connectionId, input.productId);
          throw ApplicationFailure.nonRetryable(`remote product ${parent.remoteId} of ${snapshot.sku} ${why} in ${input.connectionId}; the link was removed`, REMOTE_PRODUCT_GONE);
        };
        // One read says whether the linked product is still there, still ours and not in the trash.
        let current: WooProduct | undefined;
        try {
          current = await client.getProduct(parent.remoteId);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        if (!current) return gone('is gone');
        if (heldByAnother(current, { productId: input.productId, sku: snapshot.sku })) return gone(`now holds another product (${current.sku || 'no SKU'})`);
        if (shopState !== 'restore') {
          if (current.status === 'trash') {
            await markTrashed(deps.db, input.connectionId, [{ productId: input.productId, sku: snapshot.sku, remoteId: parent.remoteId }], workflowId);
            return { requests: client.requestCount - before, version: snapshot.version, trashed: true };
          }
          if (shopState === 'trashed') await clearShopState(deps.db, input.connectionId, input.productId);
        }
        const media = (await loadKnownMedia(deps.db, input.connectionId, [input.productId])).get(input.productId) ?? NO_MEDIA;
        const onProblem = imageProblemHandler(deps.db, { connectionId: input.connectionId, productId: input.productId, sku: snapshot.sku, workflowId });
        // Images go by media id once uploaded (issue 6 point 1); one the shop cannot fetch is left out and reported (point 2).
        const write = () => writeProductWithImages(
          toWooProduct(snapshot, { media }), (b) => client.updateProduct(parent.remoteId, b), (p) => onProblem(null, p),
          async () => (await client.getProduct(parent.remoteId)).images[0]?.id,
        );
        let written;
        try {
          written = await write();
        } catch (err) {
          if (isNotFound(err)) return gone('is gone');
          // A duplicate of ours that landed late (issue 6 point 3) makes every update fail: remove it, update again.
          const removed = err instanceof WooApiError && err.kind === 'duplicate_sku'
            ? await removeDuplicateProducts(deps.db, client, {
              connectionId: input.connectionId, productId: input.productId, sku: snapshot.sku, keepId: parent.remoteId, workflowId,
            })
            : [];
          if (removed.length === 0) throw err;
          written = await write();
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
        await markPushed(deps.db, input.connectionId, input.productId, snapshot.version, writtenStock(snapshot));
        if (shopState === 'restore') await clearShopState(deps.db, input.connectionId, input.productId);
        const requests = client.requestCount - before;
        await writeSyncLog(deps.db, [{
          connectionId: input.connectionId, productId: input.productId, workflowId,
          action: 'update', status: 'ok', message: `pushed version ${snapshot.version} of ${snapshot.sku}`, details: { requests },
        }]);
        return { requests, version: snapshot.version };
      });
    },
  };
  return activities;
}

