import { heartbeat } from '@temporalio/activity';
import type { Db } from '../../db/connection';
import type { AggregationPlan } from '../../workflows/contracts/stock-aggregation';
import { withHeartbeats } from '../heartbeat';
import { planAggregation, recordAggregationDrift, runFullPass, runIncrementalAggregation, type FullPassProgress, type IncrementalResult } from './runs';

/** Issue 11: the stock aggregation's activities; each returns counts only, the items stay in PostgreSQL. */
export function createStockAggregationActivities(db: Db) {
  return {
    async planStockAggregation(input: { connectionId: string; mode: 'incremental' | 'full' | 'auto' }): Promise<AggregationPlan> {
      return planAggregation(db, input.connectionId, input.mode);
    },

    async aggregateStockIncremental(input: { connectionId: string }): Promise<IncrementalResult> {
      return withHeartbeats(() => runIncrementalAggregation(db, input.connectionId));
    },

    /** The full pass, range by range with its cursor in the database: a retry after a killed worker goes on from there. */
    async aggregateStockFullPass(input: { connectionId: string; plannedAt: string; rangeSize?: number }): Promise<FullPassProgress> {
      return withHeartbeats(() => runFullPass(db, input.connectionId, input.plannedAt, {
        rangeSize: input.rangeSize, onRange: (p) => heartbeat(p),
      }));
    },

    async recordAggregationDrift(input: { connectionId: string; reportId: string; counts: Record<string, number> }): Promise<void> {
      await recordAggregationDrift(db, input.connectionId, input.reportId, input.counts);
    },
  };
}

