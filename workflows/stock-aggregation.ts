import { executeChild, proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import { UNLIMITED_RETRY } from './contracts/retry';
import { aggregationDriftWorkflowId, type StockAggregationInput, type StockAggregationResult } from './contracts/stock-aggregation';
import type { drift } from './drift';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '10 seconds',
  retry: UNLIMITED_RETRY,
});

/**
 * Issue 11: one stock aggregation run of a connection (its Schedule `stock-aggregation/<connection>`,
 * or `possync aggregate`). Incremental: the products whose stock moved since the last runs; full:
 * every linked item, range by range. Only differing products are queued for the connection's
 * writer. The history carries counts, never items.
 */
export async function stockAggregation(input: StockAggregationInput): Promise<StockAggregationResult> {
  const { connectionId } = input;
  upsertSearchAttributes([{ key: SA.connection, value: connectionId }]);
  const plan = await acts.planStockAggregation({ connectionId, mode: input.mode ?? 'auto' });
  if (!plan.active) {
    setCurrentDetails(`${connectionId} is not an active shop connection: nothing compared`);
    return { connectionId, mode: 'skipped', compared: 0, differed: 0, queued: 0 };
  }
  let result: StockAggregationResult;
  if (plan.mode === 'incremental') {
    setCurrentDetails('comparing the items whose stock moved since the last runs');
    const r = await acts.aggregateStockIncremental({ connectionId });
    result = { connectionId, mode: 'incremental', compared: r.compared, differed: r.differed, queued: r.queued, movements: { after: r.after, upTo: r.upTo } };
  } else {
    setCurrentDetails('full pass: comparing every linked item');
    const r = await acts.aggregateStockFullPass({ connectionId, plannedAt: plan.plannedAt, rangeSize: input.rangeSize });
    result = { connectionId, mode: 'full', compared: r.compared, differed: r.differed, queued: r.queued, ranges: r.ranges };
    if (plan.driftCheck) {
      setCurrentDetails(`${summary(result)}; comparing the shop itself`);
      const d = await executeChild<typeof drift>('drift', {
        workflowId: aggregationDriftWorkflowId(connectionId, workflowInfo().startTime.getTime()),
        args: [{ connectionId }],
      });
      result.drift = { reportId: d.reportId, ...d.counts };
      await acts.recordAggregationDrift({ connectionId, reportId: d.reportId, counts: { ...d.counts } });
    }
  }
  setCurrentDetails(summary(result) + (result.drift ? `; shop: ${result.drift.differs} differ, ${result.drift.unlinked} unlinked, ${result.drift.missing} missing` : ''));
  return result;
}

const summary = (r: StockAggregationResult) => `${r.mode}: ${r.compared} items compared, ${r.differed} differed, ${r.queued} queued`;
