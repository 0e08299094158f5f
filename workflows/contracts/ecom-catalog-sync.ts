import { defineQuery } from '@temporalio/workflow';

/** Contract of `possync sync-catalog <ecom connection>` (id catalog-sync/<connectionId>, as for WooCommerce). */
export interface EcomCatalogSyncInput {
  connectionId: string;
  /** Carried over continue-as-new: products up to this id are queued. */
  afterId?: number;
  progress?: EcomCatalogSyncProgress;
}

export interface EcomCatalogSyncProgress {
  connectionId: string;
  phase: 'reading the shop' | 'queueing' | 'writing' | 'done';
  /** Products in the shop (read 250 per request). */
  shopProducts: number;
  /** Linked products the shop no longer has: forgotten, so the writer creates them again. */
  missing: number;
  /** Products queued for the writer (sold online, or linked). */
  queued: number;
  /** Queued rows the writer has not handled yet. */
  waiting: number;
  reads: number;
}

export const ecomCatalogSyncProgressQuery = defineQuery<EcomCatalogSyncProgress>('ecomCatalogSyncProgress');

/** Products queued per activity call. */
export const ECOM_CATALOG_PAGE = 1000;

/** The reason of the rows a catalog sync queues; a newer change of a product replaces it (and is written anyway). */
export const CATALOG_SYNC_REASON = 'catalog_sync';
