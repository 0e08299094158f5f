import type { Db } from '../../db/connection';
import type { DriftRepairCounts } from '../../workflows/contracts/drift';
import { queueForConnection, requeueForSaga } from '../pos/batch-push-queue';
import { deleteLinks, saveLinks } from '../pos/links';

/**
 * Issue 11: `possync drift --repair` pushes the POS values for exactly what a report found,
 * through the normal push paths. A shop product holding the SKU of a product not linked to it is
 * linked (M-B5: matched by SKU); linked products missing in the shop lose their link and go to
 * their push saga, which creates them again; those and every linked item that differs are queued
 * for the connection's batched push. One transaction, once per report (a retry answers what was done).
 */
export function createDriftRepairActivities(deps: { db: Db }) {
  const { db } = deps;
  return {
    async repairDrift(input: { reportId: string; connectionId: string }): Promise<DriftRepairCounts> {
      return db.transaction(async (trx) => {
        const report = await trx('drift_reports').where({ id: input.reportId }).forUpdate().first('repaired');
        if (report?.repaired) return report.repaired as DriftRepairCounts;
        const items: { kind: string; product_id: number | null; remote_id: number | null }[] = await trx('drift_items')
          .where({ report_id: input.reportId }).whereNotNull('product_id').select('kind', 'product_id', 'remote_id');
        const ids = (kind: string) => [...new Set(items.filter((i) => i.kind === kind).map((i) => i.product_id!))];
        const missing = new Set(ids('missing'));
        const linked = new Set<number>((
          await trx('product_links').where({ connection_id: input.connectionId }).whereNull('variant_id')
            .whereIn('product_id', ids('unlinked')).select('product_id')
        ).map((r: { product_id: number }) => r.product_id));
        // One shop product per POS product: the first found with its SKU.
        const relink = new Map<number, number>();
        let leftAlone = 0;
        for (const i of items.filter((x) => x.kind === 'unlinked')) {
          if ((linked.has(i.product_id!) && !missing.has(i.product_id!)) || relink.has(i.product_id!)) leftAlone += 1;
          else relink.set(i.product_id!, Number(i.remote_id));
        }
        for (const [productId, remoteId] of relink) {
          await deleteLinks(trx, input.connectionId, productId);
          await saveLinks(trx, [{ connectionId: input.connectionId, productId, variantId: null, remoteId, remoteParentId: null }], null);
        }
        const recreate = [...missing].filter((id) => !relink.has(id));
        for (const id of recreate) await deleteLinks(trx, input.connectionId, id);
        await requeueForSaga(trx, recreate);
        const queued = await queueForConnection(trx, input.connectionId, [...ids('differs').filter((id) => !missing.has(id)), ...relink.keys()], 'drift');
        const done: DriftRepairCounts = { queued, relinked: relink.size, recreated: recreate.length, leftAlone };
        await trx('drift_reports').where({ id: input.reportId }).update({ repaired: JSON.stringify(done) });
        return done;
      });
    },
  };
}
