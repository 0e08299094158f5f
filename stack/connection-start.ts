import type { Db } from '../db/connection';

/**
 * At `npm start`: whether the demo connection's catalog must be pushed (issue 6 point 4). Only a
 * new connection is: one without any link yet, including one whose store is new (the sandbox
 * starts empty on every run, or the configured store URL changed), whose old links mean nothing
 * and are dropped. Otherwise nothing is re-pushed; `possync sync-catalog` does it on request.
 */
export async function prepareConnectionForStart(
  db: Db, c: { connectionId: string; storeUrl: string; previousUrl: string | undefined; freshStore: boolean },
): Promise<{ isNew: boolean }> {
  const storeChanged = c.previousUrl !== undefined && c.previousUrl !== c.storeUrl;
  if (c.freshStore || storeChanged) {
    await db('product_links').where({ connection_id: c.connectionId }).delete();
    await db('shop_creations').where({ connection_id: c.connectionId }).delete();
  }
  const anyLink = await db('product_links').where({ connection_id: c.connectionId }).first('id');
  return { isNew: !anyLink };
}
