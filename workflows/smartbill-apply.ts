import {
  ActivityFailure, allHandlersFinished, condition, continueAsNew, log, proxyActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import { UNLIMITED_RETRY } from './contracts/retry';
import {
  movementsReceivedSignal, smartbillApplyStatusQuery, type SmartBillApplyInput, type SmartBillApplyStatus, type SmartBillApplyTotals,
} from './contracts/smartbill-apply';

const { applySmartBillMovements } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: UNLIMITED_RETRY,
});

const ROUNDS_PER_RUN = 300;
/** After a refusal no retry changes (e.g. the shop refuses the keys), the next try waits this long. */
const AFTER_REFUSAL_MS = 60_000;

/**
 * One workflow per SmartBill connection (id smartbill-apply/<connection>): the receiver commits SmartBill's
 * stock calls and signals; each round applies what is pending, the newest level per product, batched.
 * Movements that arrive while a round runs go in the next round, so many movements of one product between
 * two rounds cost one write (issue 12). Shop faults are retried; nothing here fails the workflow.
 */
export async function smartbillApply(input: SmartBillApplyInput): Promise<void> {
  let signals = input.carried?.pendingSignals ?? 1;
  let handled = 0;
  const totals: SmartBillApplyTotals = input.carried?.totals ?? { rounds: 0, applied: 0, superseded: 0, unmatched: 0, writes: 0 };
  const status: SmartBillApplyStatus = { connectionId: input.connectionId, phase: 'idle', ...totals };
  let roundsThisRun = 0;
  setHandler(movementsReceivedSignal, () => {
    signals += 1;
  });
  setHandler(smartbillApplyStatusQuery, () => ({ ...status, ...totals }));
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);

  for (;;) {
    status.phase = 'idle';
    if (!(await condition(() => signals > handled, input.idleTimeoutMs))) break;
    if (input.coalesceMs > 0) await sleep(input.coalesceMs);
    const target = signals;
    status.phase = 'applying';
    for (;;) {
      try {
        const r = await applySmartBillMovements({ connectionId: input.connectionId });
        totals.applied += r.applied;
        totals.superseded += r.superseded;
        totals.unmatched += r.notFound + r.ambiguous + r.notManaged + r.notOwner + r.refused;
        totals.writes += r.writes;
        status.lastError = undefined;
        if (!r.more) break;
      } catch (err) {
        status.lastError = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
        status.phase = 'waiting-after-refusal';
        log.warn('applying SmartBill movements was refused; trying again later', { connectionId: input.connectionId, error: status.lastError });
        setCurrentDetails(`Refused: ${status.lastError}. Trying again in ${AFTER_REFUSAL_MS / 1000} s; the movements stay in the ledger.`);
        await sleep(AFTER_REFUSAL_MS);
        status.phase = 'applying';
      }
    }
    handled = target;
    totals.rounds += 1;
    roundsThisRun += 1;
    setCurrentDetails(`${totals.applied} levels written in ${totals.writes} requests over ${totals.rounds} rounds; ${totals.superseded} superseded, ${totals.unmatched} not applied (see \`possync smartbill report ${input.connectionId}\`)`);
    if (roundsThisRun >= ROUNDS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof smartbillApply>({ ...input, carried: { pendingSignals: signals - handled, totals } });
    }
  }
  await condition(allHandlersFinished);
  // A call received as the idle wait ended: go on in a new run rather than leave it for the next call.
  if (signals > handled) return continueAsNew<typeof smartbillApply>({ ...input, carried: { pendingSignals: signals - handled, totals } });
}
