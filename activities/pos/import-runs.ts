import type { Db } from '../../db/connection';
import { markProductsChanged } from './change-feed';

export interface ImportProgressRow {
  state: string;
  progress: Record<string, unknown>;
}

export function createImportRunActivities(db: Db) {
  return {
    /** Idempotent: the run key (workflow id + first run id) identifies the run across retries and continue-as-new. */
    async openImportRun(input: { connectionId: string; workflowId: string; runKey: string; dryRun: boolean }): Promise<number> {
      const [row] = await db('import_runs')
        .insert({ connection_id: input.connectionId, workflow_id: input.workflowId, run_key: input.runKey, dry_run: input.dryRun }, ['id'])
        .onConflict('run_key').merge(['run_key']);
      return Number(row.id);
    },

    async saveImportProgress(input: { importRunId: number; state: string; progress: Record<string, unknown>; backupId?: string; report?: unknown }): Promise<void> {
      await db('import_runs').where({ id: input.importRunId }).update({
        state: input.state, progress: JSON.stringify(input.progress),
        ...(input.backupId ? { backup_id: input.backupId } : {}),
        ...(input.report !== undefined ? { report: JSON.stringify(input.report) } : {}),
        ...(['done', 'failed', 'cancelled'].includes(input.state) ? { finished_at: db.fn.now() } : {}),
      });
    },

    /** M-B5: after the import, every product it touched is pushed back with the POS details and stock. */
    async pushImportedProducts(input: { importRunId: number }): Promise<number> {
      const ids: number[] = (await db('import_run_products').where({ import_run_id: input.importRunId }).select('product_id')).map((r) => r.product_id);
      for (let i = 0; i < ids.length; i += 1000) {
        await db.transaction((trx) => markProductsChanged(trx, ids.slice(i, i + 1000), 'order_import'));
      }
      return ids.length;
    },
  };
}
