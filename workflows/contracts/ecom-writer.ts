import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Contract of the writer of one Lightspeed eCom connection (ecom-writer/<connectionId>). */

/** "Rows were queued": they live in ecom_write_queue, the signal only wakes the writer. */
export const ecomRowsQueuedSignal = defineSignal('ecomRowsQueued');
export const ecomWriterStatusQuery = defineQuery<EcomWriterStatus>('ecomWriterStatus');

export interface EcomWriterInput {
  connectionId: string;
  settleMs: number;
  /** At most one round per quiet window: each product is written at most once per window. */
  quietWindowMs: number;
  idleTimeoutMs: number;
  carried?: { pendingSignals: number; lastRoundStartedAt?: number; totals: EcomWriterTotals; blockedReason?: string };
}

export interface EcomWriterTotals {
  rounds: number;
  /** Products written (created, updated, hidden, deleted). */
  pushed: number;
  /** Products whose shop copy was already what the POS holds (no write sent). */
  unchanged: number;
  /** Products the shop refused for good (listed by `possync failures`). */
  refused: number;
  requests: number;
  writes: number;
}

export interface EcomWriterStatus extends EcomWriterTotals {
  connectionId: string;
  phase: 'idle' | 'settling' | 'writing' | 'blocked';
  /** Rows waiting when the last call ended. */
  queued: { stock: number; catalog: number };
  lastRoundAt?: string;
  blockedReason?: string;
  lastError?: string;
}

/** What one drainEcomQueue call did. */
export interface EcomDrainResult {
  /** The queue position this round writes up to; later changes wait for the next round. */
  upToSeq: string;
  pushed: number;
  unchanged: number;
  refused: number;
  requests: number;
  writes: number;
  /** More rows up to `upToSeq` wait: call again. */
  more: boolean;
  /** Products whose write failed on a fault of their own (not the shop's): sent behind the others, for a later round. */
  deferred?: number;
  /** Rows waiting after this call (newer ones included). */
  backlog: { stock: number; catalog: number };
}

export const ecomWriterWorkflowId = (connectionId: string): string => `ecom-writer/${connectionId}`;

/** Products per activity call (each is one or a few requests within the shop's budget). */
export const ECOM_DRAIN_LIMIT = 50;

/** The Web UI line of a writer: "12 queued (3 stock) · 140 writes · 3 refused". */
export function ecomWriterDetails(queued: { stock: number; catalog: number }, totals: Pick<EcomWriterTotals, 'writes' | 'refused'>): string {
  return `${queued.stock + queued.catalog} queued (${queued.stock} stock) · ${totals.writes} writes · ${totals.refused} refused`;
}
