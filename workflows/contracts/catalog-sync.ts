import { defineQuery } from '@temporalio/workflow';

export interface CatalogSyncInput {
  connectionId: string;
  pageSize?: number;
  /** Ranges synced at the same time. */
  concurrency?: number;
  /** Carried over continue-as-new: everything up to this product id is done. */
  afterId?: number;
  totals?: CatalogSyncTotals;
}

export interface CatalogSyncTotals {
  ranges: number;
  products: number;
  created: number;
  updated: number;
  failed: number;
  requests: number;
  /** Handed to product-push/<id> but neither linked nor failed when the sync stopped waiting. */
  pendingCreations?: number;
  /** Linked products left alone because they are trashed in the shop (issue 6 point 6). */
  trashed?: number;
}

export interface CatalogSyncProgress extends CatalogSyncTotals {
  connectionId: string;
  afterId: number;
  done: boolean;
}

export const catalogSyncProgressQuery = defineQuery<CatalogSyncProgress>('catalogSyncProgress');

export const catalogSyncWorkflowId = (connectionId: string): string => `catalog-sync/${connectionId}`;
