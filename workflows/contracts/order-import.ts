import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** Contract of the order history import (M-B2..M-B9), shared by the workflow and the scripts. */

/** Old clients' fire-and-forget pause and resume; the updates below say what really happened. */
export const pauseImportSignal = defineSignal('pause');
export const resumeImportSignal = defineSignal('resume');
/** Returns once the import has stopped between two pages (issue 7.7). */
export const pauseImportUpdate = defineUpdate<PauseOutcome>('pauseImport');
/** Returns once the import is running again. */
export const resumeImportUpdate = defineUpdate<PauseOutcome>('resumeImport');
export const importProgressQuery = defineQuery<ImportProgress>('progress');

export type ImportPhase = 'starting' | 'backup' | 'running' | 'paused' | 'pushing' | 'done';

export interface PauseOutcome {
  phase: ImportPhase;
  /** Pages committed when it stopped (or resumed). */
  pagesDone: number;
  ordersDone: number;
  /** The last order imported before it stopped: the next page starts after it. */
  cursor: ImportCursor | null;
  /** True when it was already in the asked state. */
  already: boolean;
}

/**
 * Where the import is in the history: the creation date (GMT, seconds) of the last order
 * imported and the ids imported at that date. The next page asks for orders created from that
 * second on, minus those ids, oldest first (`orderby=date` sorts by date, then id), so orders
 * created or deleted meanwhile never shift what comes next (issue 7.6).
 */
export interface ImportCursor {
  dateGmt: string;
  idsAtDate: number[];
}

/** The newest history order (created before the connection's start date) when the import began. */
export interface HistoryEnd {
  id: number;
  dateGmt: string;
}

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
  /** Kept for histories of the page-numbered import; the cursor is the checkpoint now. */
  nextPage: number;
  cursor?: ImportCursor | null;
  end?: HistoryEnd | null;
  /** A pause that was asked for, carried over continue-as-new. */
  paused?: boolean;
  /** Empty answers in a row that contradicted what the store said before. */
  contradictions?: number;
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
  /**
   * An empty page that contradicts the store's totals is asked again this many times, waiting
   * `contradictionDelaySeconds` doubled each time, before the import fails (default 6, from 5 s: about 5 minutes).
   */
  contradictionRetries?: number;
  contradictionDelaySeconds?: number;
  /** Carried over continue-as-new. */
  carried?: ImportProgress & { runningMs: number };
}

/** Why a pause or resume cannot be done now, or undefined when it can (issue 7.7). */
export function pauseRefusal(verb: 'pause' | 'resume', phase: ImportPhase): string | undefined {
  if (phase === 'done') return `the import is done; there is nothing to ${verb}`;
  if (phase === 'pushing') return `the import has read every order and is pushing the products back to the shop; it cannot ${verb} now`;
  return undefined;
}

export const orderImportWorkflowId = (connectionId: string): string => `order-import/${connectionId}`;
/** A dry run has its own id (issue 8 point 10): it never hides the real import's progress and backup. */
export const orderImportDryRunWorkflowId = (connectionId: string): string => `order-import-dry-run/${connectionId}`;
export const importWorkflowId = (connectionId: string, dryRun: boolean): string =>
  dryRun ? orderImportDryRunWorkflowId(connectionId) : orderImportWorkflowId(connectionId);
/** Issue 8 point 7: the connection in the id when known (restore-backup/<backupId> before). */
export const restoreBackupWorkflowId = (backupId: string, connectionId?: string | null): string =>
  connectionId ? `order-restore/${connectionId}/${backupId}` : `order-restore/${backupId}`;
/**
 * A few orders are named in the id; more are summed up with a hash of the list. The same list
 * asked again while it runs joins that run; once it ended, the id starts a new one.
 */
export function orderReimportWorkflowId(connectionId: string, orderIds: number[]): string {
  const ids = [...new Set(orderIds)].sort((a, b) => a - b);
  const what = ids.length <= 5 ? ids.join(',') : `${ids[0]}-${ids[ids.length - 1]}-${ids.length}-orders-${fnv1a(ids.join(','))}`;
  return `order-reimport/${connectionId}/${what}`;
}

/** A short stable hash (FNV-1a, 32 bits) that needs no Node module. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
