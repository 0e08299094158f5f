import { continueAsNew, patched, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import { UNLIMITED_RETRY } from './contracts/retry';
import { catalogSyncProgressQuery, type CatalogSyncInput, type CatalogSyncProgress, type CatalogSyncTotals } from './contracts/catalog-sync';

// Ranges heartbeat every 2 s: a killed worker costs the heartbeat timeout, not 10 minutes. Safe to
// repeat (lookups by SKU first), so an outage only delays them (issue 7 points 5, 9).
const { planCatalogRanges, syncCatalogRange } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: UNLIMITED_RETRY,
});

// Waiting for the products handed to their own push workflows (issue 6 point 4).
const { awaitHandedOff, syncLogWatermark } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const RANGES_PER_RUN = 100;
/** Rounds of awaitHandedOff (each up to 5 minutes) without progress before a handoff is reported as still pending. */
const HANDOFF_IDLE_ROUNDS = 3;

/**
 * Links and pushes a whole catalog to one connection (id catalog-sync/<connectionId>), in
 * ranges of up to 100 products synced a few at a time. The cursor only moves past ranges
 * that are done, and it survives continue-as-new, so a crash or restart resumes where it was.
 */
export async function catalogSync(input: CatalogSyncInput): Promise<CatalogSyncProgress> {
  const pageSize = Math.min(input.pageSize ?? 100, 100);
  const concurrency = input.concurrency ?? 4;
  const totals: CatalogSyncTotals = input.totals ?? { ranges: 0, products: 0, created: 0, updated: 0, failed: 0, requests: 0 };
  let afterId = input.afterId ?? 0;
  const progress = (): CatalogSyncProgress => ({ connectionId: input.connectionId, afterId, done: false, ...totals });
  setHandler(catalogSyncProgressQuery, progress);
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);

  let rangesThisRun = 0;
  for (;;) {
    setCurrentDetails(`Syncing the products after id ${afterId} to ${input.connectionId}; ${totals.products} synced so far (${totals.created} created, ${totals.updated} updated, ${totals.failed} failed)`);
    const ranges = await planCatalogRanges({ connectionId: input.connectionId, afterId, pageSize, maxRanges: concurrency });
    if (ranges.length === 0) break;
    const handsOff = patched('catalog-sync-hands-creations-to-product-push');
    const watermark = handsOff ? await syncLogWatermark() : '0';
    const results = await Promise.all(ranges.map((range) => syncCatalogRange({ connectionId: input.connectionId, range })));
    if (handsOff) {
      // Only product-push/<id> creates: wait for the products handed to it and count how they ended.
      let pending = results.flatMap((r) => r.handedOff ?? []);
      let idle = 0;
      while (pending.length > 0 && idle < HANDOFF_IDLE_ROUNDS) {
        setCurrentDetails(`${pending.length} products being created by their push workflows`);
        const out = await awaitHandedOff({ connectionId: input.connectionId, productIds: pending, logAfterId: watermark });
        idle = out.pending.length === pending.length ? idle + 1 : 0;
        totals.created += out.linked;
        totals.failed += out.failed;
        pending = out.pending;
      }
      totals.pendingCreations = (totals.pendingCreations ?? 0) + pending.length;
      totals.trashed = (totals.trashed ?? 0) + results.reduce((n, r) => n + (r.trashed ?? 0), 0);
    }
    for (const r of results) {
      totals.ranges += 1;
      totals.products += r.products;
      totals.created += r.created;
      totals.updated += r.updated;
      totals.failed += r.failed;
      totals.requests += r.requests;
    }
    afterId = ranges[ranges.length - 1]!.lastId;
    rangesThisRun += ranges.length;
    setCurrentDetails(`${totals.products} products synced (${totals.created} created, ${totals.updated} updated, ${totals.failed} failed)`);
    if (rangesThisRun >= RANGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof catalogSync>({ ...input, afterId, totals });
    }
  }
  setCurrentDetails(`Done: ${totals.products} products synced to ${input.connectionId} (${totals.created} created, ${totals.updated} updated, ${totals.failed} failed)`);
  return { ...progress(), done: true };
}
