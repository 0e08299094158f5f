import {
  condition, continueAsNew, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler, allHandlersFinished,
  upsertSearchAttributes, uuid4, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import {
  importProgressQuery, pauseImportSignal, resumeImportSignal, type ImportPhase, type ImportProgress, type OrderImportInput,
} from './contracts/order-import';

const { importOrderPage, takeBackup, pushImportedProducts } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const { openImportRun, saveImportProgress } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200ms', maximumInterval: '10s' },
});

const PAGES_PER_RUN = 200;

/**
 * The order history import (id order-import/<connectionId>): a backup of products and stock
 * first (M-B3), then history orders page by page, each page one idempotent transaction
 * (M-B8), a checkpoint after every page, pause and resume signals that act between pages,
 * a progress query (M-B9), and at the end the touched products pushed back (M-B5).
 */
export async function orderImport(input: OrderImportInput): Promise<ImportProgress> {
  const info = workflowInfo();
  const dryRun = input.dryRun ?? false;
  const p: ImportProgress = input.carried ?? {
    connectionId: input.connectionId, dryRun, phase: 'starting', nextPage: 1, pagesDone: 0, ordersDone: 0, imported: 0,
    skipped: 0, failed: 0, linked: 0, created: 0, deducted: 0, startedAt: new Date().toISOString(), recentFailures: [],
  };
  let runningMs = input.carried?.runningMs ?? 0;
  let paused = false;
  setHandler(pauseImportSignal, () => void (paused = true));
  setHandler(resumeImportSignal, () => void (paused = false));
  setHandler(importProgressQuery, () => p);

  const enter = (phase: ImportPhase) => {
    if (p.phase === phase) return;
    p.phase = phase;
    upsertSearchAttributes([{ key: SA.importState, value: dryRun ? `dry-run:${phase}` : phase }, { key: SA.connection, value: input.connectionId }]);
  };
  const save = () => saveImportProgress({ importRunId: p.importRunId!, state: p.phase, progress: { ...p }, backupId: p.backupId });

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
      setCurrentDetails(`Paused after page ${p.pagesDone}; send the resume signal to continue`);
      await save();
      await condition(() => !paused);
    }
    enter('running');
    const started = Date.now();
    const r = await importOrderPage({ connectionId: input.connectionId, importRunId: p.importRunId, page: p.nextPage, dryRun });
    runningMs += Date.now() - started;
    p.pagesDone += 1;
    p.ordersDone += r.orders;
    p.imported += r.imported;
    p.skipped += r.skipped;
    p.failed += r.failed;
    p.linked += r.linked;
    p.created += r.created;
    p.deducted += r.deducted;
    p.totalPages = r.totalPages;
    p.totalOrders = r.totalOrders;
    p.lastOrderId = r.lastOrderId ?? p.lastOrderId;
    p.recentFailures = [...r.failures, ...p.recentFailures].slice(0, 20);
    p.nextPage += 1;
    const left = Math.max(0, r.totalOrders - p.ordersDone);
    p.secondsLeft = p.ordersDone > 0 ? Math.round(((runningMs / p.ordersDone) * left) / 1000) : undefined;
    setCurrentDetails(`${p.ordersDone} of ${r.totalOrders} orders: ${p.imported} imported, ${p.skipped} skipped, ${p.failed} failed`);
    await save();
    pagesThisRun += 1;
    if (r.orders === 0 || p.nextPage > r.totalPages) break;
    if (pagesThisRun >= (input.pagesPerRun ?? PAGES_PER_RUN) || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof orderImport>({ ...input, carried: { ...p, phase: paused ? 'paused' : p.phase, runningMs } });
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
