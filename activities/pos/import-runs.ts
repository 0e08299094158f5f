import { heartbeat } from '@temporalio/activity';
import type { Db } from '../../db/connection';
import { resumeDetails } from '../heartbeating';
import { markProductsChanged } from './change-feed';

const CHUNK = 1000;

interface PushedSoFar {
  done: number;
}
const isPushedSoFar = (d: unknown): d is PushedSoFar => typeof d === 'object' && d !== null && Number.isInteger((d as PushedSoFar).done);

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

    /**
     * M-B5: after the import, every product it touched is pushed back with the POS details and
     * stock. A heartbeat after each chunk says how far it got; a retry goes on from there (issue 7.9).
     */
    async pushImportedProducts(input: { importRunId: number }): Promise<number> {
      const ids: number[] = (await db('import_run_products').where({ import_run_id: input.importRunId }).orderBy('product_id').select('product_id'))
        .map((r) => r.product_id);
      const from = resumeDetails(isPushedSoFar)?.done ?? 0;
      heartbeat({ done: from } satisfies PushedSoFar);
      for (let i = from; i < ids.length; i += CHUNK) {
        await db.transaction((trx) => markProductsChanged(trx, ids.slice(i, i + CHUNK), 'order_import'));
        heartbeat({ done: Math.min(ids.length, i + CHUNK) } satisfies PushedSoFar);
      }
      return ids.length;
    },
  };
}
