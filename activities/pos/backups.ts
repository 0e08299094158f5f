import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { whileHeartbeating } from '../heartbeating';
import { markProductsChanged } from './change-feed';

export function createBackupActivities(db: Db) {
  return {
    /**
     * M-B3: a copy of every product and every stock level, taken before an import touches
     * anything. The id comes from the workflow, so a retried activity writes the same backup once.
     * One transaction, so the copy is one consistent instant: a retry starts it over (there is no
     * partial copy to resume), and heartbeats while it runs tell Temporal at once if the worker died.
     */
    async takeBackup(input: { backupId: string; connectionId: string; reason: string }): Promise<{ backupId: string; products: number; inventoryRows: number }> {
      return whileHeartbeating(() => db.transaction(async (trx) => {
        const done = await trx('backups').where({ id: input.backupId }).first();
        if (done) return { backupId: input.backupId, products: done.products, inventoryRows: done.inventory_rows };
        await trx('backups').insert({ id: input.backupId, connection_id: input.connectionId, reason: input.reason });
        const products = await trx.raw(
          `INSERT INTO backup_products (backup_id, product_id, product)
           SELECT ?, p.id, to_jsonb(p) || jsonb_build_object('variants', coalesce((SELECT jsonb_agg(to_jsonb(v)) FROM variants v WHERE v.product_id = p.id), '[]'::jsonb))
             FROM products p`,
          [input.backupId],
        );
        const inventory = await trx.raw(
          `INSERT INTO backup_inventory (backup_id, outlet_id, product_id, variant_id, quantity)
           SELECT ?, outlet_id, product_id, variant_id, quantity FROM inventory`,
          [input.backupId],
        );
        await trx('backups').where({ id: input.backupId }).update({ products: products.rowCount, inventory_rows: inventory.rowCount });
        return { backupId: input.backupId, products: products.rowCount, inventoryRows: inventory.rowCount };
      }), () => ({ backupId: input.backupId }));
    },

    /**
     * M-B3: puts every stock level back as the backup has it (levels created since go to 0),
     * and forgets what orders applied since the backup, so re-importing them deducts again.
     * Setting levels is idempotent, so a retry changes nothing more. A backup that does not exist
     * fails at once, for good (issue 7.8): no retry can make it appear.
     */
    async restoreBackup(input: { backupId: string }): Promise<{ levels: number; orders: number; products: number }> {
      return whileHeartbeating(() => db.transaction(async (trx) => {
        const backup = await trx('backups').where({ id: input.backupId }).forUpdate().first();
        if (!backup) throw await missingBackup(trx, input.backupId);
        const changed = await trx.raw(
          `WITH target AS (
             SELECT i.id, i.quantity AS old_quantity, coalesce(b.quantity, 0) AS quantity
               FROM inventory i
               LEFT JOIN backup_inventory b ON b.backup_id = ? AND b.outlet_id = i.outlet_id AND b.product_id = i.product_id
                    AND coalesce(b.variant_id, 0) = coalesce(i.variant_id, 0)
           ), moved AS (
             UPDATE inventory i SET quantity = t.quantity, updated_at = now()
               FROM target t WHERE t.id = i.id AND i.quantity <> t.quantity
             RETURNING i.outlet_id, i.product_id, i.variant_id, i.quantity, i.quantity - t.old_quantity AS delta
           )
           SELECT outlet_id, product_id, variant_id, quantity, delta FROM moved`,
          [input.backupId],
        );
        const rows: { outlet_id: number; product_id: number; variant_id: number | null; quantity: number; delta: number }[] = changed.rows;
        if (rows.length > 0) {
          await trx('stock_movements').insert(rows.map((r) => ({
            kind: 'restore', outlet_id: r.outlet_id, product_id: r.product_id, variant_id: r.variant_id, delta: r.delta,
            quantity_after: r.quantity, reference_type: 'backup', reference_id: input.backupId, note: 'restored from backup',
          })));
        }
        const orders = await trx('remote_orders')
          .where('updated_at', '>', backup.created_at)
          .modify((q) => (backup.connection_id ? q.where({ connection_id: backup.connection_id }) : q))
          .update({ applied: '[]', outcome: 'skipped', reason: `stock restored from backup ${input.backupId}; re-import to deduct again`, updated_at: trx.fn.now() });
        const productIds = [...new Set(rows.map((r) => r.product_id))];
        for (let i = 0; i < productIds.length; i += 1000) await markProductsChanged(trx, productIds.slice(i, i + 1000), 'restore');
        await trx('backups').where({ id: input.backupId }).update({ restored_at: trx.fn.now() });
        return { levels: rows.length, orders, products: productIds.length };
      }));
    },
  };
}

async function missingBackup(trx: Db, backupId: string): Promise<ApplicationFailure> {
  const recent = await trx('backups').orderBy('created_at', 'desc').limit(5).pluck('id');
  const known = recent.length > 0 ? `; the latest backups are ${recent.join(', ')}` : '; there are no backups';
  return ApplicationFailure.nonRetryable(`backup ${backupId} does not exist${known}`, 'BackupNotFound');
}

export interface BackupSummary {
  id: string;
  connection_id: string | null;
  reason: string;
  created_at: Date;
  restored_at: Date | null;
  products: number;
  inventory_rows: number;
  /** What the copy takes in the database (products and stock rows). */
  bytes: number;
  /** The import that took it (issue 8 point 10), if one did. */
  import: { run_id: number; workflow_id: string; dry_run: boolean; state: string; started_at: Date; finished_at: Date | null } | null;
}

/** Backups newest first, with their size and the import that made them (issue 8 point 10). */
export async function listBackups(db: Db, q: { id?: string; limit?: number } = {}): Promise<BackupSummary[]> {
  type Row = Omit<BackupSummary, 'import' | 'bytes'> & { bytes: string; run_id: string | null } & Omit<NonNullable<BackupSummary['import']>, 'run_id'>;
  const rows: Row[] = await db('backups as b')
    .leftJoin('import_runs as r', 'r.backup_id', 'b.id')
    .modify((b) => (q.id !== undefined ? b.where('b.id', q.id) : b))
    .orderBy([{ column: 'b.created_at', order: 'desc' }, { column: 'b.id', order: 'desc' }])
    .limit(q.limit ?? 100)
    .select(
      'b.id', 'b.connection_id', 'b.reason', 'b.created_at', 'b.restored_at', 'b.products', 'b.inventory_rows',
      db.raw(`coalesce((SELECT sum(pg_column_size(p.*)) FROM backup_products p WHERE p.backup_id = b.id), 0)
            + coalesce((SELECT sum(pg_column_size(i.*)) FROM backup_inventory i WHERE i.backup_id = b.id), 0) AS bytes`),
      'r.id as run_id', 'r.workflow_id', 'r.dry_run', 'r.state', 'r.started_at', 'r.finished_at',
    );
  return rows.map((r) => ({
    id: r.id, connection_id: r.connection_id, reason: r.reason, created_at: r.created_at, restored_at: r.restored_at,
    products: r.products, inventory_rows: r.inventory_rows, bytes: Number(r.bytes),
    import: r.run_id === null ? null : {
      run_id: Number(r.run_id), workflow_id: r.workflow_id, dry_run: r.dry_run, state: r.state, started_at: r.started_at, finished_at: r.finished_at,
    },
  }));
}
