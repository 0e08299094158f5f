import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ShopItemActionInput, ShopItemActionResult } from './contracts/shop-item';

const { applyShopItemAction } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500ms', maximumInterval: '10s' },
});

/**
 * An operator's decision about a product trashed in the shop (issue 6 point 6): `restore` lets its
 * next push untrash it, `unlink` forgets the trashed shop product. The push itself is signalled by
 * the caller (product-push/<id>), so the one writer of the product stays its own workflow.
 */
export async function shopItemAction(input: ShopItemActionInput): Promise<ShopItemActionResult> {
  setCurrentDetails(`${input.action === 'restore' ? 'Restoring' : 'Unlinking'} the trashed shop product of product ${input.productId} in ${input.connectionId}`);
  const r = await applyShopItemAction(input);
  setCurrentDetails(r.message);
  return r;
}
