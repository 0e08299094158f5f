import { continueAsNew, proxyActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import { UNLIMITED_RETRY } from './contracts/retry';
import { CATALOG_SYNC_REASON, ECOM_CATALOG_PAGE, ecomCatalogSyncProgressQuery, type EcomCatalogSyncInput, type EcomCatalogSyncProgress } from './contracts/ecom-catalog-sync';

// The shop is read within its budget (the writer's rows may take it first): minutes, heartbeating.
const { findMissingEcomProducts } = proxyActivities<Activities>({ startToCloseTimeout: '2 hours', heartbeatTimeout: '30 seconds', retry: UNLIMITED_RETRY });
const { queueEcomCatalog, ecomRowsWaiting } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: UNLIMITED_RETRY });

const WAIT_POLL_MS = 2000;

/**
 * A full catalog sync of a Lightspeed eCom connection (issue 10 point 8). The connection's writer
 * does every write; this reads the shop once (products, 250 per request) to find linked products
 * that were deleted there, forgets their links so the writer creates them again, queues every
 * product the shop should hold as a catalog write, and waits until the writer has handled them.
 * The writer sends only what differs from what it last wrote: an unchanged catalog costs no write.
 */
export async function ecomCatalogSync(input: EcomCatalogSyncInput): Promise<EcomCatalogSyncProgress> {
  const p: EcomCatalogSyncProgress = input.progress ?? { connectionId: input.connectionId, phase: 'reading the shop', shopProducts: 0, missing: 0, queued: 0, waiting: 0, reads: 0 };
  let afterId = input.afterId ?? 0;
  setHandler(ecomCatalogSyncProgressQuery, () => ({ ...p }));
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);

  if (p.phase === 'reading the shop') {
    setCurrentDetails(`Reading the products of ${input.connectionId} to find the ones deleted there`);
    const found = await findMissingEcomProducts({ connectionId: input.connectionId });
    Object.assign(p, { shopProducts: found.shopProducts, missing: found.missing, reads: found.reads, phase: 'queueing' });
  }
  while (p.phase === 'queueing') {
    setCurrentDetails(`${p.queued} products queued for ecom-writer/${input.connectionId}; ${p.missing} deleted in the shop are created again`);
    const page = await queueEcomCatalog({ connectionId: input.connectionId, afterId, limit: ECOM_CATALOG_PAGE });
    p.queued += page.queued;
    if (page.lastId === null) {
      p.phase = 'writing';
      break;
    }
    afterId = page.lastId;
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof ecomCatalogSync>({ ...input, afterId, progress: p });
  }
  for (;;) {
    p.waiting = (await ecomRowsWaiting({ connectionId: input.connectionId, reason: CATALOG_SYNC_REASON })).waiting;
    if (p.waiting === 0) break;
    setCurrentDetails(`${p.waiting} of ${p.queued} products still to be written by ecom-writer/${input.connectionId}`);
    await sleep(WAIT_POLL_MS);
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof ecomCatalogSync>({ ...input, afterId, progress: p });
  }
  p.phase = 'done';
  setCurrentDetails(`Done: ${p.queued} products handled by the writer (${p.missing} deleted in the shop created again), ${p.reads} reads`);
  return { ...p };
}
