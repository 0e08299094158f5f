import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Contract of the per-product push saga, shared by the workflow, the server and the scripts. */

export const productChangedSignal = defineSignal<[ProductChanged]>('productChanged');
export const pushStatusQuery = defineQuery<PushStatus>('pushStatus');

export interface ProductChanged {
  reason: string;
}

export interface ProductPushInput {
  productId: number;
  /** Wait after the first change before pushing, so a burst (save + stock count) goes as one push. */
  settleMs: number;
  /** At most one push per quiet window: changes arriving meanwhile are coalesced into the next push. */
  quietWindowMs: number;
  /** The run completes after this long without changes; the next change starts a new run. */
  idleTimeoutMs: number;
  carried?: { pendingChanges: number; lastPushStartedAt?: number; pushes: number };
}

export interface PushStatus {
  productId: number;
  sku: string;
  phase: 'idle' | 'settling' | 'pushing';
  changesSeen: number;
  pushes: number;
  lastPushAt?: string;
  lastError?: string;
}

export const productPushWorkflowId = (productId: number): string => `product-push/${productId}`;

export const DEFAULT_PUSH_TIMING = { settleMs: 100, quietWindowMs: 1000, idleTimeoutMs: 5 * 60_000 };
