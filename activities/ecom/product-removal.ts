// A product archived (or gone) in the POS is deleted in eCom, with its variants and images, and its
// links and written state dropped (M-C5). A create that may still have landed is found and deleted too.
import { deleteLinks } from '../pos/links';
import type { ProductLink } from '../pos/links';
import type { EcomClient } from './client';
import { dropCreation, runningCreation } from './creation-runs';
import { findCreatedProduct } from './product-step';
import { deleteIfThere } from './product-sync';
import type { Knex } from 'knex';
import { PRODUCT_REF, WrittenState } from './written-state';

export async function removeFromShop(db: Knex, client: EcomClient, connectionId: string, productId: number, links: ProductLink[]): Promise<'deleted' | 'skipped'> {
  const state = new WrittenState(db, connectionId, productId);
  const product = (await state.load()).find((o) => o.kind === 'product' && o.posRef === PRODUCT_REF);
  let remoteId = product?.remoteId ?? links.find((l) => l.variantId === null)?.remoteId ?? null;
  if (product && remoteId === null) {
    const runKey = await runningCreation(db, connectionId, productId);
    if (runKey) remoteId = (await findCreatedProduct(client, runKey, product.requestedAt))?.id ?? null;
  }
  if (remoteId !== null) await deleteIfThere(() => client.products.delete(remoteId!, 'catalog'));
  await db.transaction(async (trx) => {
    await new WrittenState(trx, connectionId, productId).forgetAll();
    await deleteLinks(trx, connectionId, productId);
    await dropCreation(trx, connectionId, productId);
  });
  return remoteId !== null ? 'deleted' : 'skipped';
}
