import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { aggregationSettings, stockAggregationScheduleId } from '../workflows/contracts/stock-aggregation';
import { SA } from '../workflows/contracts/search-attributes';
import type { stockAggregation } from '../workflows/stock-aggregation';
import { upsertSchedule, type UpsertedSchedule } from './schedules';

/**
 * Issue 11: a connection's periodic stock aggregation, created or brought to its settings
 * (`aggregation_interval_seconds`, default 300). Runs never overlap (SKIP); jitter spreads the
 * connections' runs; each run decides itself whether a full pass is due (`full_pass_hours`).
 */
export function ensureStockAggregationSchedule(
  client: Client, taskQueue: string, connectionId: string, settings: Record<string, unknown>,
): Promise<UpsertedSchedule> {
  const { intervalSeconds } = aggregationSettings(settings);
  const id = stockAggregationScheduleId(connectionId);
  return upsertSchedule<typeof stockAggregation>(client, {
    scheduleId: id,
    spec: { intervals: [{ every: `${intervalSeconds}s` }], jitter: `${Math.max(1, Math.floor(intervalSeconds / 10))}s` },
    action: {
      type: 'startWorkflow', workflowType: 'stockAggregation', taskQueue, args: [{ connectionId, mode: 'auto' }], workflowId: id,
      typedSearchAttributes: [{ key: SA.connection, value: connectionId }],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute', pauseOnFailure: false },
    state: { note: 'compares the stock summed over the outlets with what each shop was last given and queues the differences' },
  });
}

export async function removeStockAggregationSchedule(client: Client, connectionId: string): Promise<void> {
  await client.schedule.getHandle(stockAggregationScheduleId(connectionId)).delete().catch((err) => {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  });
}
