/** Ids, settings and shapes of the periodic stock aggregation (issue 11). */
export const stockAggregationScheduleId = (connectionId: string): string => `stock-aggregation/${connectionId}`;
/** An on-demand run (`possync aggregate`): its own id, so it never collides with a scheduled one. */
export const stockAggregationRunId = (connectionId: string, at: number): string => `stock-aggregation/${connectionId}/manual-${at}`;
export const aggregationDriftWorkflowId = (connectionId: string, at: number): string => `stock-aggregation/${connectionId}/drift-${at}`;

export type AggregationMode = 'incremental' | 'full' | 'auto';

export interface StockAggregationInput {
  connectionId: string;
  /** auto (the schedule's): a full pass when the last one is older than `full_pass_hours`, otherwise incremental. */
  mode?: AggregationMode;
  /** Link rows compared per transaction of a full pass (default 5000). */
  rangeSize?: number;
}

export interface AggregationCounts {
  /** Linked items compared. */
  compared: number;
  /** Items whose summed stock differs from what was last written to the shop. */
  differed: number;
  /** Products queued for the connection's writer (one already queued is not queued again). */
  queued: number;
}

export interface AggregationPlan {
  mode: 'incremental' | 'full';
  /** False: a deactivated (or unknown) connection, nothing is compared. */
  active: boolean;
  /** settings.drift_check: the full pass also compares the shop itself (WooCommerce). */
  driftCheck: boolean;
  /** The database's clock when the run was planned (a full pass finished since serves this one). */
  plannedAt: string;
}

export interface StockAggregationResult extends AggregationCounts {
  connectionId: string;
  mode: 'incremental' | 'full' | 'skipped';
  /** Incremental: the stock_movements ids read, (after, upTo]. */
  movements?: { after: string; upTo: string };
  /** Full pass: id ranges compared by this run. */
  ranges?: number;
  drift?: { reportId: string; differs: number; unlinked: number; missing: number };
}

export interface AggregationSettings {
  intervalSeconds: number;
  fullPassHours: number;
  driftCheck: boolean;
}

export const AGGREGATION_DEFAULTS: AggregationSettings = { intervalSeconds: 300, fullPassHours: 24, driftCheck: false };

/** A connection's `aggregation_interval_seconds` / `full_pass_hours` / `drift_check` settings, else the defaults. */
export function aggregationSettings(settings: Record<string, unknown>): AggregationSettings {
  const interval = Number(settings.aggregation_interval_seconds);
  const hours = Number(settings.full_pass_hours);
  return {
    intervalSeconds: Number.isInteger(interval) && interval >= 5 ? interval : AGGREGATION_DEFAULTS.intervalSeconds,
    fullPassHours: Number.isFinite(hours) && hours > 0 ? hours : AGGREGATION_DEFAULTS.fullPassHours,
    driftCheck: settings.drift_check === true,
  };
}
