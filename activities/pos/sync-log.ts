import type { Knex } from 'knex';

export interface SyncLogEntry {
  connectionId?: string | null;
  productId?: number | null;
  workflowId?: string | null;
  action: string;
  status: 'ok' | 'failed' | 'compensated' | 'skipped' | 'trashed' | 'compensation_failed';
  message?: string;
  details?: Record<string, unknown>;
}

export async function writeSyncLog(db: Knex | Knex.Transaction, entries: SyncLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db('sync_log').insert(
    entries.map((e) => ({
      connection_id: e.connectionId ?? null, product_id: e.productId ?? null, workflow_id: e.workflowId ?? null,
      action: e.action, status: e.status, message: e.message ?? '', details: e.details ? JSON.stringify(e.details) : null,
    })),
  );
}
