import type { Db } from '../../db/connection';
import { isSoldOnline } from '../../domain/product';
import { claimPendingPush } from './change-feed';
import { activeConnections } from './connections';
import { allLinksOfProduct } from './links';
import { requeueStrandedPushes, type ReconcileResult } from './reconcile';
import { writeSyncLog, type SyncLogEntry } from './sync-log';
import { blockConnection, blockedConnections, isBlocked } from './connection-blocks';
import { clearPushFailures, recordPushFailures } from './push-failures';
import { AUTH_FAILURE_TYPE } from '../woocommerce/connection-health';

export interface PushTarget {
  connectionId: string;
  linked: boolean;
  /** The shop refuses the connection's credentials (issue 7 point 5): the push waits for them. */
  blocked: boolean;
}

export interface PushPlan {
  exists: boolean;
  sku: string;
  name: string;
  type: 'simple' | 'variable';
  targets: PushTarget[];
  /** When the oldest change this push carries was committed (this process's clock); unknown after a failed attempt claimed it. */
  committedAt?: number;
}

/**
 * Decides where a product goes: every active WooCommerce connection it is linked to, and
 * every one it should appear in because it is sold online. Clears the pending flag first,
 * so any change committed from now on signals another round.
 */
export async function planProductPush(db: Db, productId: number): Promise<PushPlan> {
  const pendingAgeMs = await claimPendingPush(db, productId);
  const committedAt = pendingAgeMs === null ? undefined : Date.now() - pendingAgeMs;
  const product = await db('products').where({ id: productId }).first('sku', 'name', 'type', 'channels', 'archived');
  if (!product) return { exists: false, sku: '', name: '', type: 'simple', targets: [] };
  const links = await allLinksOfProduct(db, productId);
  // An archived product (the POS's delete) is only taken offline where it is linked, never created.
  const online = isSoldOnline(product) && !product.archived;
  const blocked = new Set((await blockedConnections(db)).map((b) => b.connection_id));
  const targets = (await activeConnections(db, 'woocommerce'))
    .map((c) => ({ connectionId: c.id, linked: links.some((l) => l.connectionId === c.id && l.variantId === null), blocked: blocked.has(c.id) }))
    .filter((t) => t.linked || online);
  return { exists: true, sku: product.sku, name: product.name, type: product.type, targets, committedAt };
}

export function createPosPushActivities(db: Db) {
  return {
    /** Issue 7 point 2: pending marks older than `olderThanMs` with nothing queued go back to their push. */
    async requeueStrandedPushes(input: { olderThanMs: number }): Promise<ReconcileResult> {
      return requeueStrandedPushes(db, input.olderThanMs);
    },

    /**
     * The sync log entry of a saga step, and the product's failure state on that connection
     * (issue 7 point 12): a failure is recorded (a refused credential also blocks the
     * connection, and the product waits for it), a success clears it.
     */
    async recordSyncOutcome(entry: SyncLogEntry & { failureType?: string }): Promise<void> {
      const { failureType, ...logEntry } = entry;
      await writeSyncLog(db, [logEntry]);
      if (!entry.connectionId || !entry.productId) return;
      if (entry.status === 'ok') await clearPushFailures(db, entry.connectionId, [entry.productId]);
      if (entry.status !== 'failed') return;
      const auth = failureType === AUTH_FAILURE_TYPE;
      if (auth) await blockConnection(db, entry.connectionId, `the shop refuses the credentials of ${entry.connectionId}: ${entry.message ?? ''}`);
      const willRetry = auth || (await isBlocked(db, entry.connectionId));
      await recordPushFailures(db, [{ connectionId: entry.connectionId, productId: entry.productId, action: entry.action, message: entry.message ?? 'failed', willRetry }]);
    },
  };
}
