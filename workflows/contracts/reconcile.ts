/** Contract of the periodic reconciliation of pushes (issue 7 points 2 and 5). */

export const RECONCILE_SCHEDULE_ID = 'reconcile-pushes';
export const RECONCILE_WORKFLOW_ID = 'reconcile-pushes';

export interface ReconcileInput {
  /** A pending mark older than this, with nothing queued to push it, is stranded. */
  strandedAfterMs: number;
}

export interface ReconcileSummary {
  stranded: number;
  productIds: number[];
  probed: number;
  unblocked: string[];
}
