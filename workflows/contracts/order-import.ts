import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Contract of the order history import (M-B2..M-B9), shared by the workflow and the scripts. */

export const pauseImportSignal = defineSignal('pause');
export const resumeImportSignal = defineSignal('resume');
export const importProgressQuery = defineQuery<ImportProgress>('progress');

export type ImportPhase = 'starting' | 'backup' | 'running' | 'paused' | 'pushing' | 'done';

export interface ImportCounters {
  pagesDone: number;
  ordersDone: number;
  imported: number;
  skipped: number;
  failed: number;
  linked: number;
  created: number;
  deducted: number;
}

export interface ImportProgress extends ImportCounters {
  connectionId: string;
  dryRun: boolean;
  phase: ImportPhase;
  importRunId?: number;
  backupId?: string;
  /** The next page to import: the checkpoint. */
  nextPage: number;
  totalPages?: number;
  totalOrders?: number;
  lastOrderId?: number | null;
  startedAt: string;
  /** Estimate from the rate so far. */
  secondsLeft?: number;
  recentFailures: { orderId: number; reason: string }[];
}

export interface OrderImportInput {
  connectionId: string;
  dryRun?: boolean;
  /** Pages per run before continue-as-new (default 200, about 1,400 history events). */
  pagesPerRun?: number;
  /** Carried over continue-as-new. */
  carried?: ImportProgress & { runningMs: number };
}

export const orderImportWorkflowId = (connectionId: string): string => `order-import/${connectionId}`;
export const restoreBackupWorkflowId = (backupId: string): string => `restore-backup/${backupId}`;
