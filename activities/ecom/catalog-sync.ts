import { Context } from '@temporalio/activity';
import type { Db } from '../../db/connection';
import { CATALOG_SYNC_REASON } from '../../workflows/contracts/ecom-catalog-sync';
import { withHeartbeats } from '../heartbeat';
import { writeSyncLog } from '../pos/sync-log';
import { deleteLinks } from '../pos/links';
import { ECOM_MAX_LIMIT } from './client';
import { toEcomActivityFailure } from './errors';
import { ecomClientFor } from './product-writer';
import type { EcomRegistry } from './registry';
import { queueEcomWrites } from './write-queue';
import { WrittenState } from './written-state';
import { dropCreation } from './creation-runs';

export interface EcomCatalogDeps {
  db: Db;
  ecom?: EcomRegistry;
}

/** The activities of `possync sync-catalog <ecom connection>` (workflows/ecom-catalog-sync.ts). */
export function createEcomCatalogSyncActivities(deps: EcomCatalogDeps) {
  const { db } = deps;
  return {
    /**
     * Reads every product of the shop (250 per request, by since_id) and forgets the links and the
     * written state of linked products it no longer has, so the writer creates them again.
     */
    async findMissingEcomProducts(input: { connectionId: string }): Promise<{ shopProducts: number; missing: number; reads: number }> {
      if (!deps.ecom?.get(input.connectionId)) throw new Error(`no eCom connection "${input.connectionId}" is configured in this worker`);
      const ctx = Context.current();
      const client = ecomClientFor(deps.ecom, input.connectionId, ctx.cancellationSignal, db);
      try {
        return await withHeartbeats(async () => {
          const remote = new Set((await client.products.listAll()).map((p) => p.id));
          // listAll reads pages of ECOM_MAX_LIMIT until a short one.
          const reads = Math.floor(remote.size / ECOM_MAX_LIMIT) + 1;
          const linked: { product_id: number; remote_id: string | number }[] = await db('product_links')
            .where({ connection_id: input.connectionId }).whereNull('variant_id').select('product_id', 'remote_id');
          const missing = linked.filter((l) => !remote.has(Number(l.remote_id))).map((l) => l.product_id);
          for (const productId of missing) {
            await db.transaction(async (trx) => {
              await new WrittenState(trx, input.connectionId, productId).forgetAll();
              await deleteLinks(trx, input.connectionId, productId);
              await dropCreation(trx, input.connectionId, productId);
              await writeSyncLog(trx, [{
                connectionId: input.connectionId, productId, action: 'ecom catalog sync', status: 'ok',
                message: 'linked, but the shop no longer has it: the link is forgotten and the writer creates it again',
              }]);
            });
          }
          return { shopProducts: remote.size, missing: missing.length, reads };
        });
      } catch (err) {
        throw toEcomActivityFailure(err);
      } finally {
        client.close();
      }
    },

    /** Queues, as catalog writes, the next products (by id) the connection should hold: sold online, or linked. */
    async queueEcomCatalog(input: { connectionId: string; afterId: number; limit: number }): Promise<{ queued: number; lastId: number | null }> {
      return db.transaction(async (trx) => {
        const ids: number[] = (await trx.raw(
          `SELECT p.id FROM products p
            WHERE p.id > ? AND ('online' = ANY(p.channels)
                  OR EXISTS (SELECT 1 FROM product_links l WHERE l.product_id = p.id AND l.connection_id = ? AND l.variant_id IS NULL))
            ORDER BY p.id LIMIT ?`,
          [input.afterId, input.connectionId, input.limit],
        )).rows.map((r: { id: number }) => r.id);
        if (ids.length === 0) return { queued: 0, lastId: null };
        await queueEcomWrites(trx, input.connectionId, ids, { stockOnly: false, reason: CATALOG_SYNC_REASON });
        return { queued: ids.length, lastId: ids[ids.length - 1]! };
      });
    },

    /** Rows of one reason still queued for the connection's writer. */
    async ecomRowsWaiting(input: { connectionId: string; reason: string }): Promise<{ waiting: number }> {
      const row = await db('ecom_write_queue').where({ connection_id: input.connectionId, reason: input.reason }).count({ n: '*' }).first();
      return { waiting: Number(row?.n ?? 0) };
    },
  };
}
