// Products the merchant trashed in the shop (issue 6 point 6). An update that carries a status
// untrashes a product (recorded on the real store), so every update path first asks which of its
// products are in the trash (one list request per 100 products) and leaves those alone until the
// operator restores (`possync restore-trashed`) or unlinks (`possync unlink`) them.
import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import { chunk } from './batch';
import type { WooClient } from './client';
import { heldByAnother } from './reused-ids';
import type { WooProduct } from './types';
import { writeSyncLog } from '../pos/sync-log';

type Reader = Db | Knex.Transaction;

export type ShopState = 'trashed' | 'restore';

/** Of these remote product ids, the ones in the shop's trash: one request per 100 ids. */
export async function trashedAmong(client: WooClient, remoteIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (const part of chunk([...new Set(remoteIds)], 100)) {
    const page = await client.listProducts({ include: part, status: 'trash', per_page: 100 });
    for (const p of page.items) out.add(p.id);
  }
  return out;
}

/** The shop state of each product's parent link (products without one are absent). */
export async function shopStates(db: Reader, connectionId: string, productIds: number[]): Promise<Map<number, ShopState>> {
  if (productIds.length === 0) return new Map();
  const rows = await db('product_links')
    .where({ connection_id: connectionId })
    .whereNull('variant_id')
    .whereIn('product_id', productIds)
    .whereNotNull('shop_state')
    .select('product_id', 'shop_state');
  return new Map(rows.map((r) => [r.product_id as number, r.shop_state as ShopState]));
}

/** Records that these products are in the shop's trash; the first time, with a sync log line. */
export async function markTrashed(
  db: Reader, connectionId: string, products: { productId: number; sku: string; remoteId: number }[], workflowId: string | null,
): Promise<void> {
  if (products.length === 0) return;
  const newly: { product_id: number }[] = await db('product_links')
    .where({ connection_id: connectionId })
    .whereNull('variant_id')
    .whereIn('product_id', products.map((p) => p.productId))
    .where((q) => q.whereNull('shop_state').orWhereNot('shop_state', 'trashed'))
    .update({ shop_state: 'trashed', shop_state_at: new Date() }, ['product_id']);
  const marked = new Set(newly.map((r) => r.product_id));
  await writeSyncLog(db, products.filter((p) => marked.has(p.productId)).map((p) => ({
    connectionId, productId: p.productId, workflowId, action: 'update', status: 'trashed' as const,
    message: `${p.sku} is trashed in the shop (product ${p.remoteId}): left trashed and no longer pushed; ` +
      `\`possync restore-trashed ${p.sku} ${connectionId}\` untrashes and pushes it, \`possync unlink ${p.sku} ${connectionId}\` forgets it`,
  })));
}

/** After a push that untrashed it on request: an ordinary linked product again. */
export async function clearShopState(db: Reader, connectionId: string, productId: number): Promise<void> {
  await db('product_links').where({ connection_id: connectionId, product_id: productId }).update({ shop_state: null, shop_state_at: null });
}

/**
 * For an update path about to push these linked products: the ids of those trashed in the shop
 * (to be left out), marked and logged, and of those whose shop id now holds another product
 * (issue 8 point 1: to be relinked or created again, never written over). One list request per 100
 * products (every status but trash); only ids missing from it are looked for in the trash. A
 * product no longer in the trash becomes an ordinary linked product again; one the operator asked
 * to restore is not looked for in the trash (its push untrashes it).
 */
export async function leaveTrashedOut(
  db: Db, client: WooClient, connectionId: string, products: { productId: number; sku: string; remoteId: number }[], workflowId: string | null,
): Promise<{ trashed: Set<number>; taken: Set<number> }> {
  const states = await shopStates(db, connectionId, products.map((p) => p.productId));
  const live = new Map<number, WooProduct>();
  for (const part of chunk([...new Set(products.map((p) => p.remoteId))], 100)) {
    for (const p of (await client.listProducts({ include: part, per_page: 100 })).items) live.set(p.id, p);
  }
  const checked = products.filter((p) => states.get(p.productId) !== 'restore' && !live.has(p.remoteId));
  const inTrash = await trashedAmong(client, checked.map((p) => p.remoteId));
  const trashed = checked.filter((p) => inTrash.has(p.remoteId));
  await markTrashed(db, connectionId, trashed, workflowId);
  for (const p of products) {
    if (states.has(p.productId) && !inTrash.has(p.remoteId)) await clearShopState(db, connectionId, p.productId);
  }
  const taken = products.filter((p) => live.has(p.remoteId) && heldByAnother(live.get(p.remoteId)!, p));
  return { trashed: new Set(trashed.map((p) => p.productId)), taken: new Set(taken.map((p) => p.productId)) };
}
