import { proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import { UNLIMITED_RETRY } from './contracts/retry';
import type { DriftInput, DriftResult } from './contracts/drift';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: UNLIMITED_RETRY,
});

/**
 * Issue 11: `possync drift` — reads a shop page by page and records, in drift_items, every linked
 * item that differs from what the POS would push, shop products with our SKU that are not linked,
 * and linked products missing in the shop; with `repair`, hands exactly those to the push paths.
 * The history carries counts and the report id, never the items.
 */
export async function drift(input: DriftInput): Promise<DriftResult> {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  const { reportId } = await acts.startDriftReport(input);
  let page = 1;
  let totalPages = 1;
  let shopProducts = 0;
  let requests = 0;
  do {
    setCurrentDetails(`report ${reportId}: reading shop page ${page} of ${totalPages}, ${shopProducts} products so far`);
    const r = await acts.scanDriftPage({ reportId, connectionId: input.connectionId, sku: input.sku, page });
    shopProducts += r.products;
    requests += r.requests;
    totalPages = r.totalPages;
    page += 1;
  } while (page <= totalPages);
  const finished = await acts.finishDriftScan({ reportId, connectionId: input.connectionId, sku: input.sku, shopProducts, requests });
  const counts = finished.counts;
  const result: DriftResult = { reportId, connectionId: input.connectionId, counts, shopProducts, requests: finished.requests, pages: page - 1 };
  if (input.repair) result.repaired = await acts.repairDrift({ reportId, connectionId: input.connectionId });
  setCurrentDetails(`report ${reportId}: ${counts.differs} differ, ${counts.unlinked} unlinked, ${counts.missing} missing${result.repaired ? `; ${result.repaired.queued} queued, ${result.repaired.recreated} to create again` : ''}`);
  return result;
}
