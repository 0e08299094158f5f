import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Contract of the batched push of linked products to one connection. */

/** "Products were queued": the rows live in batch_push_queue, the signal only wakes the workflow. */
export const productsQueuedSignal = defineSignal('productsQueued');
export const batchPushStatusQuery = defineQuery<BatchPushStatus>('batchPushStatus');

export interface BatchPushInput {
  connectionId: string;
  settleMs: number;
  /** At most one round per quiet window: each product is written at most once per window. */
  quietWindowMs: number;
  idleTimeoutMs: number;
  carried?: { pendingSignals: number; lastRoundStartedAt?: number; totals: BatchPushTotals; blockedReason?: string };
}

export interface BatchPushTotals {
  rounds: number;
  pushed: number;
  failed: number;
  relinked: number;
  requests: number;
}

export interface BatchPushStatus extends BatchPushTotals {
  connectionId: string;
  phase: 'idle' | 'settling' | 'pushing' | 'blocked';
  lastRoundAt?: string;
  /** Why the connection is blocked (the shop refuses its credentials), while it is. */
  blockedReason?: string;
  lastError?: string;
}

export const batchPushWorkflowId = (connectionId: string): string => `batch-push/${connectionId}`;

/** Products per activity call; each call sends them 100 per request. */
export const BATCH_PUSH_CALL_LIMIT = 500;
