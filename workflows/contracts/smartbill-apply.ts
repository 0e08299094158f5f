import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Contract of the workflow that applies one SmartBill connection's received movements to its WooCommerce store. */

/** "Movements were received": they live in smartbill_movements; the signal only wakes the workflow. */
export const movementsReceivedSignal = defineSignal('movementsReceived');
export const smartbillApplyStatusQuery = defineQuery<SmartBillApplyStatus>('smartbillApplyStatus');

export interface SmartBillApplyTotals {
  rounds: number;
  applied: number;
  superseded: number;
  unmatched: number;
  writes: number;
}

export interface SmartBillApplyInput {
  connectionId: string;
  /** Movements arriving within this window are written together (one write per product). */
  coalesceMs: number;
  /** Ends after this long without movements; the receiver starts it again. */
  idleTimeoutMs: number;
  carried?: { pendingSignals: number; totals: SmartBillApplyTotals };
}

export interface SmartBillApplyStatus extends SmartBillApplyTotals {
  connectionId: string;
  phase: 'idle' | 'applying' | 'waiting-after-refusal';
  lastError?: string;
}

export const smartbillApplyWorkflowId = (connectionId: string): string => `smartbill-apply/${connectionId}`;

export const smartbillCheckWorkflowId = (connectionId: string): string => `smartbill-check/${connectionId}`;
export const smartbillPullWorkflowId = (connectionId: string): string => `smartbill-pull/${connectionId}`;
export const smartbillPullProgressQuery = defineQuery<string>('smartbillPullProgress');

export type SmartBillPullResult =
  | { pulled: true; items: number; outcomes: Record<string, number> }
  | { pulled: false; nextAllowedAt: string };
