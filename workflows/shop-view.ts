import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ShopViewInput, ShopViewResult } from './contracts/shop-view';

const acts = proxyActivities<Activities>({
  // A shop that cannot be read is part of the answer; retries only cover the worker and the database.
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 },
});

/** Issue 8.4/8.5: one read of a shop for `possync shop` and `possync status` (the CLI never calls a shop itself). */
export async function shopView(input: ShopViewInput): Promise<ShopViewResult> {
  return acts.readShopView(input);
}
