import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { toWooProduct, POSSYNC_META_KEY } from '../../domain/woo-mapping';
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
        const payload = toWooProduct(snapshot);
        const found = (await client.findBySkus([snapshot.sku])).find((r) => r.sku === snapshot.sku);
        if (found && found.type === 'variation') {
          throw ApplicationFailure.nonRetryable(
            `SKU ${snapshot.sku} belongs to a variation (id ${found.id}) of product ${found.parent_id} in the shop`,
            'SkuConflict',
          );
        }
        if (found) {
          // Matched by SKU (M-B5): the shop product is overwritten with the POS details.
          await client.updateProduct(found.id, payload);
          return { remoteId: found.id, createdByUs: metaOf(found) === String(snapshot.id), requests: client.requestCount - before };
        }
        try {
          const created = await client.createProduct(payload);
          return { remoteId: created.id, createdByUs: true, requests: client.requestCount - before };
        } catch (err) {
          const holder = isDuplicateSkuError(err);
          if (holder) {
            // Someone created it between our lookup and our create (another workflow, a lost answer).
            await client.updateProduct(holder, payload);
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
        return upsertVariations(client, snapshot, input.remoteParentId, remote);
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
        try {
          await client.updateProduct(parent.remoteId, toWooProduct(snapshot));
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
        if (snapshot.type === 'variable') {
          const remote = await remoteVariationsOf(client, snapshot, parent.remoteId, links);
          const variationLinks = await upsertVariations(client, snapshot, parent.remoteId, remote);
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

