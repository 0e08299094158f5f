import {
  ApplicationFailure, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler,
  allHandlersFinished, sleep, upsertSearchAttributes, uuid4, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ImportPageResult } from '../activities/woocommerce/order-import';
import { SA } from './contracts/search-attributes';
import {
  importProgressQuery, pauseImportSignal, pauseImportUpdate, pauseRefusal, resumeImportSignal, resumeImportUpdate,
  type ImportPhase, type ImportProgress, type OrderImportInput, type PauseOutcome,
} from './contracts/order-import';

// Heartbeats every few seconds (issue 7.9): a killed worker costs the heartbeat timeout, not minutes.
const { importOrderPage, takeBackup, pushImportedProducts } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const { openImportRun, saveImportProgress } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200ms', maximumInterval: '10s' },
});

const PAGES_PER_RUN = 200;
const CONTRADICTION_RETRIES = 6;
const CONTRADICTION_DELAY_SECONDS = 5;

/**
 * The order history import (id order-import/<connectionId>): a backup of products and stock
 * first (M-B3), then history orders oldest first after a date cursor, each page one idempotent
 * transaction (M-B8), a checkpoint after every page, pause and resume updates that act between
 * pages and survive continue-as-new, a progress query (M-B9), and at the end the touched
 * products pushed back (M-B5). It ends only once its cursor has passed the last history order.
 */
export async function orderImport(input: OrderImportInput): Promise<ImportProgress> {
  const info = workflowInfo();
  const dryRun = input.dryRun ?? false;
  const p: ImportProgress = input.carried ?? {
    connectionId: input.connectionId, dryRun, phase: 'starting', nextPage: 1, pagesDone: 0, ordersDone: 0, imported: 0,
    skipped: 0, failed: 0, linked: 0, created: 0, deducted: 0, startedAt: new Date().toISOString(), recentFailures: [], cursor: null,
  };
  let runningMs = input.carried?.runningMs ?? 0;
  // Runs recorded before pauses were carried over continue-as-new (issue 7.7) replay as they ran.
  const current = patched('order-import-cursor-and-pause-updates');
  let paused = current ? (p.paused ?? p.phase === 'paused') : false;
  /** True while the import waits at its pause point: no page is in flight. */
  let stopped = false;
  const outcome = (already: boolean): PauseOutcome => ({
    phase: p.phase, pagesDone: p.pagesDone, ordersDone: p.ordersDone, cursor: p.cursor ?? null, already,
  });
  const refuse = (verb: 'pause' | 'resume') => () => {
    const why = pauseRefusal(verb, p.phase);
    if (why) throw new Error(why);
  };
  setHandler(pauseImportSignal, () => void (paused = true));
  setHandler(resumeImportSignal, () => void (paused = false));
  setHandler(pauseImportUpdate, async () => {
    if (stopped) return outcome(true);
    paused = true;
    await condition(() => stopped || p.phase === 'pushing' || p.phase === 'done');
    if (!stopped) throw ApplicationFailure.nonRetryable(pauseRefusal('pause', p.phase)!, 'ImportNotPausable');
    return outcome(false);
  }, { validator: refuse('pause') });
  setHandler(resumeImportUpdate, async () => {
    if (!paused && !stopped) return outcome(true);
    paused = false;
    await condition(() => !stopped);
    // It has left its pause point; the phase may still read "paused" until the next page (or run) starts.
    return { ...outcome(false), phase: 'running' as const };
  }, { validator: refuse('resume') });
  setHandler(importProgressQuery, () => p);

  const enter = (phase: ImportPhase) => {
    if (p.phase === phase) return;
    p.phase = phase;
    upsertSearchAttributes([{ key: SA.importState, value: dryRun ? `dry-run:${phase}` : phase }, { key: SA.connection, value: input.connectionId }]);
  };
  const save = (state: string = p.phase) => saveImportProgress({ importRunId: p.importRunId!, state, progress: { ...p }, backupId: p.backupId });
  const pagesPerRun = input.pagesPerRun ?? PAGES_PER_RUN;
  const carryOn = () => continueAsNew<typeof orderImport>({ ...input, carried: { ...p, paused, phase: paused ? 'paused' : p.phase, runningMs } });

  const counts = () => `${p.ordersDone} of ${p.totalOrders ?? '?'} orders: ${p.imported} imported, ${p.skipped} skipped, ${p.failed} failed`;
  const label = dryRun ? 'Dry run: ' : '';
  if (!p.importRunId) setCurrentDetails(`${label}starting the import of ${input.connectionId}`);
  p.importRunId ??= await openImportRun({
    connectionId: input.connectionId, workflowId: info.workflowId, runKey: `${info.workflowId}/${info.firstExecutionRunId}`, dryRun,
  });
  if (!dryRun && !p.backupId) {
    enter('backup');
    setCurrentDetails('Backing up products and stock before the first order is touched');
    const backup = await takeBackup({ backupId: `backup-${input.connectionId}-${uuid4().slice(0, 8)}`, connectionId: input.connectionId, reason: 'before order import' });
    p.backupId = backup.backupId;
  }

  let pagesThisRun = 0;
  for (;;) {
    if (paused) {
      enter('paused');
      p.paused = true;
      setCurrentDetails(`${label}Paused after page ${p.pagesDone}: ${counts()}; resume to continue`);
      await save();
      stopped = true;
      await condition(() => !paused);
      stopped = false;
      p.paused = false;
    }
    // The current code cuts the run only here, after a pause has been honoured, so a pause is never carried half-done.
    if (current && pagesThisRun > 0 && (pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested)) {
      await condition(allHandlersFinished);
      return carryOn();
    }
    enter('running');
    setCurrentDetails(`${label}Reading page ${p.pagesDone + 1}${p.totalPages ? ` of ${p.totalPages}` : ''}; ${counts()}`);
    const started = Date.now();
    const r = await importOrderPage({
      connectionId: input.connectionId, importRunId: p.importRunId, cursor: p.cursor ?? null, end: p.end, page: p.nextPage, dryRun,
    });
    runningMs += Date.now() - started;
    record(p, r);
    const left = Math.max(0, (p.totalOrders ?? 0) - p.ordersDone);
    p.secondsLeft = p.ordersDone > 0 ? Math.round(((runningMs / p.ordersDone) * left) / 1000) : undefined;
    setCurrentDetails(`${label}${counts()}`);
    await save();
    pagesThisRun += 1;
    // Results of the page-numbered import (replayed histories) carry no `done`: it ended on a short page.
    if (r.done ?? (r.orders === 0 || p.nextPage > r.totalPages)) break;
    if (r.contradiction !== undefined) {
      // Issue 7.6: an empty answer that contradicts the store's history is asked again, then fails loudly.
      p.contradictions = (p.contradictions ?? 0) + 1;
      const retries = input.contradictionRetries ?? CONTRADICTION_RETRIES;
      if (p.contradictions > retries) {
        const message = `the import stopped after ${p.ordersDone} of ${p.totalOrders ?? '?'} orders: ${r.contradiction} (asked ${p.contradictions} times)`;
        setCurrentDetails(`Failed: ${message}`);
        upsertSearchAttributes([{ key: SA.importState, value: dryRun ? 'dry-run:failed' : 'failed' }]);
        await save('failed');
        throw ApplicationFailure.nonRetryable(message, 'ImportHistoryContradiction');
      }
      const wait = (input.contradictionDelaySeconds ?? CONTRADICTION_DELAY_SECONDS) * 2 ** (p.contradictions - 1);
      setCurrentDetails(`The store answered an unexpected empty page (${r.contradiction}); asking again in ${wait}s`);
      await sleep(wait * 1000);
    } else if (r.orders > 0) {
      p.contradictions = 0;
    }
    if (!current && (pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested)) {
      await condition(allHandlersFinished);
      return carryOn();
    }
  }

  if (!dryRun) {
    enter('pushing');
    setCurrentDetails('Pushing the imported products back to the shop');
    await pushImportedProducts({ importRunId: p.importRunId });
  }
  enter('done');
  setCurrentDetails(`${dryRun ? 'Dry run done' : 'Done'}: ${p.imported} imported, ${p.skipped} skipped, ${p.failed} failed`);
  await saveImportProgress({ importRunId: p.importRunId, state: 'done', progress: { ...p }, backupId: p.backupId, report: dryRun ? { ...p } : undefined });
  await condition(allHandlersFinished);
  return p;
}

/** Takes a page's result into the progress: the database's figures when the page wrote them (issue 7.4). */
function record(p: ImportProgress, r: ImportPageResult): void {
  if (r.run) {
    Object.assign(p, r.run);
  } else {
    p.pagesDone += 1;
    p.ordersDone += r.orders;
    p.imported += r.imported;
    p.skipped += r.skipped;
    p.failed += r.failed;
    p.linked += r.linked;
    p.created += r.created;
    p.deducted += r.deducted;
  }
  if (r.contradiction !== undefined) {
    // The store's counts contradict what it said before: keep the totals it gave then.
  } else if (r.remaining !== undefined) {
    p.totalOrders = p.ordersDone + r.remaining;
    p.totalPages = p.pagesDone + Math.ceil(r.remaining / 100);
  } else {
    p.totalPages = r.totalPages;
    p.totalOrders = r.totalOrders;
  }
  if (r.cursor !== undefined) p.cursor = r.cursor;
  if (r.end !== undefined) p.end = r.end;
  p.lastOrderId = r.lastOrderId ?? p.lastOrderId;
  p.recentFailures = [...r.failures, ...p.recentFailures].slice(0, 20);
  p.nextPage += 1;
}
