import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import type { ShopItemActionInput, ShopItemActionResult } from '../../workflows/contracts/shop-item';
import { deleteLinks } from './links';
import { writeSyncLog } from './sync-log';

export function createShopItemActivities(db: Db) {
  return {
    /** restore: the next push untrashes the product; unlink: the link to the trashed shop product is dropped. */
    async applyShopItemAction(input: ShopItemActionInput): Promise<ShopItemActionResult> {
      const link = await db('product_links')
        .where({ connection_id: input.connectionId, product_id: input.productId })
        .whereNull('variant_id')
        .first('remote_id', 'shop_state');
      if (!link) {
        throw ApplicationFailure.nonRetryable(`product ${input.productId} is not linked to ${input.connectionId}`, 'NotLinked');
      }
      if (input.action === 'restore') {
        if (link.shop_state === null) return { message: `shop product ${link.remote_id} is not marked trashed; nothing to restore`, push: false };
        await db('product_links')
          .where({ connection_id: input.connectionId, product_id: input.productId })
          .whereNull('variant_id')
          .update({ shop_state: 'restore', shop_state_at: new Date() });
        await writeSyncLog(db, [{ connectionId: input.connectionId, productId: input.productId, action: 'restore_trashed', status: 'ok', message: `operator: untrash shop product ${link.remote_id} with the next push` }]);
        return { message: `shop product ${link.remote_id} will be untrashed and pushed now`, push: true };
      }
      await deleteLinks(db, input.connectionId, input.productId);
      await writeSyncLog(db, [{
        connectionId: input.connectionId, productId: input.productId, action: 'unlink', status: 'ok',
        message: `operator: unlinked from shop product ${link.remote_id}${link.shop_state === 'trashed' ? ' (trashed in the shop, left there)' : ''}`,
      }]);
      return {
        message: `unlinked from shop product ${link.remote_id}; if the product is still sold online its next push creates it in the shop again`,
        push: false,
      };
    },
  };
}
