import { log, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReconcileInput, ReconcileSummary } from './contracts/reconcile';

// A scheduled run: a few attempts, then the next run tries again.
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5 },
});

/**
 * Run by the Schedule reconcile-pushes: no change can be stranded (issue 7 point 2). Products
 * whose push has been pending too long with nothing queued go back to their push saga, and
 * connections blocked for refused credentials are probed, so they resume even when no push
 * workflow is waiting on them (point 5).
 */
export async function reconcilePushes(input: ReconcileInput): Promise<ReconcileSummary> {
  const found = await acts.requeueStrandedPushes({ olderThanMs: input.strandedAfterMs });
  const probes = await acts.probeBlockedConnections();
  const unblocked = probes.filter((p) => p.ok).map((p) => p.connectionId);
  if (found.stranded > 0) log.warn('re-queued stranded pushes', { stranded: found.stranded, productIds: found.productIds.slice(0, 50) });
  setCurrentDetails(
    `Re-queued ${found.stranded} stranded product push(es)${found.stranded ? `: ${found.productIds.slice(0, 20).join(', ')}` : ''}; ` +
      `probed ${probes.length} blocked connection(s), ${unblocked.length} unblocked`,
  );
  return { stranded: found.stranded, productIds: found.productIds, probed: probes.length, unblocked };
}
