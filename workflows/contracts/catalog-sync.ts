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
}

export interface CatalogSyncProgress extends CatalogSyncTotals {
  connectionId: string;
  afterId: number;
  done: boolean;
}

export const catalogSyncProgressQuery = defineQuery<CatalogSyncProgress>('catalogSyncProgress');

export const catalogSyncWorkflowId = (connectionId: string): string => `catalog-sync/${connectionId}`;
