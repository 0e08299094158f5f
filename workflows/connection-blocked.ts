import { condition, log, proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import { BLOCKED_PROBE_INTERVAL_MS, UNLIMITED_RETRY } from './contracts/retry';

const health = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: UNLIMITED_RETRY });

/**
 * A connection's long-lived writer while the shop refuses its credentials (issue 7 point 5): nothing
 * is written until a probe passes or the operator asks (retryNow, seen through `retry`). Returns
 * 'continue-as-new' when the wait outgrows the history (the caller carries the block over), else
 * 'unblocked'. The caller keeps its own status; this says blocked/ok in the search attributes.
 */
export async function waitWhileBlocked(
  connectionId: string, reason: string, retry: { requested(): boolean; clear(): void }, unblockedDetails: string,
): Promise<'unblocked' | 'continue-as-new'> {
  upsertSearchAttributes([{ key: SA.connectionState, value: 'blocked' }]);
  setCurrentDetails(`Blocked: ${reason}. Probing every ${BLOCKED_PROBE_INTERVAL_MS / 1000} s; \`possync connections unblock ${connectionId}\` retries now.`);
  log.warn('connection blocked: the shop refuses its credentials', { connectionId, reason });
  retry.clear();
  for (;;) {
    if (await condition(() => retry.requested(), BLOCKED_PROBE_INTERVAL_MS)) {
      await health.unblockConnection({ connectionId });
      break;
    }
    const probe = await health.probeConnection({ connectionId });
    if (probe.ok) break;
    if (workflowInfo().continueAsNewSuggested) return 'continue-as-new';
  }
  retry.clear();
  upsertSearchAttributes([{ key: SA.connectionState, value: 'ok' }]);
  setCurrentDetails(unblockedDetails);
  log.info('connection unblocked', { connectionId });
  return 'unblocked';
}
