import type { Db } from '../../db/connection';
import { isSoldOnline } from '../../domain/product';
import { claimPendingPush } from './change-feed';
import { activeConnections } from './connections';
import { allLinksOfProduct } from './links';
import { writeSyncLog, type SyncLogEntry } from './sync-log';

export interface PushTarget {
  connectionId: string;
  linked: boolean;
}

export interface PushPlan {
  exists: boolean;
  sku: string;
  name: string;
  type: 'simple' | 'variable';
  targets: PushTarget[];
}

/**
 * Decides where a product goes: every active WooCommerce connection it is linked to, and
 * every one it should appear in because it is sold online. Clears the pending flag first,
 * so any change committed from now on signals another round.
 */
export async function planProductPush(db: Db, productId: number): Promise<PushPlan> {
  await claimPendingPush(db, productId);
  const product = await db('products').where({ id: productId }).first('sku', 'name', 'type', 'channels');
  if (!product) return { exists: false, sku: '', name: '', type: 'simple', targets: [] };
  const links = await allLinksOfProduct(db, productId);
  const online = isSoldOnline(product);
  const targets = (await activeConnections(db, 'woocommerce'))
    .map((c) => ({ connectionId: c.id, linked: links.some((l) => l.connectionId === c.id && l.variantId === null) }))
    .filter((t) => t.linked || online);
  return { exists: true, sku: product.sku, name: product.name, type: product.type, targets };
}

export function createPosPushActivities(db: Db) {
  return {

    async recordSyncOutcome(entry: SyncLogEntry): Promise<void> {
      await writeSyncLog(db, [entry]);
    },
  };
}
