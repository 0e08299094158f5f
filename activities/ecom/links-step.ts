// The end of a push: links (product_links) of the eCom product and variants, the stock levels the
// push wrote (pushed_stock) and the version it pushed, in one transaction.
import type { Knex } from 'knex';
import { type ProductLink, linksOf, saveLinks } from '../pos/links';
import type { ProductSync } from './product-sync';
import { posVariantIdOf } from './written-state';

export async function loadPushedStock(db: Knex, connectionId: string, productId: number): Promise<Map<number, number | null>> {
  const rows: { variant_id: number | null; pushed_stock: number | null }[] = await db('product_links')
    .where({ connection_id: connectionId, product_id: productId }).select('variant_id', 'pushed_stock');
  return new Map(rows.map((r) => [r.variant_id ?? 0, r.pushed_stock]));
}

export async function loadLinks(db: Knex, connectionId: string, productId: number): Promise<ProductLink[]> {
  return linksOf(db, connectionId, [productId]);
}

/** Sets pushed_stock of the link rows whose stock this push wrote (simple product: its own row). */
export async function savePushedStock(db: Knex | Knex.Transaction, sync: ProductSync): Promise<void> {
  for (const [ref, level] of sync.stockWritten) {
    await db('product_links')
      .where({ connection_id: sync.connectionId, product_id: sync.snap.id })
      .whereRaw('coalesce(variant_id, 0) = ?', [posVariantIdOf(ref) ?? 0])
      .update({ pushed_stock: level, pushed_at: db.fn.now() });
  }
}

/**
 * Links the product (variant_id null -> the eCom product) and, for a variable product, each POS
 * variant (-> its eCom variant, parent the product); drops the links of removed variants.
 */
export async function saveEcomLinks(
  sync: ProductSync, remoteProductId: number, variantIds: Map<string, number>, removed: (number | null)[], after?: (trx: Knex.Transaction) => Promise<void>,
): Promise<void> {
  const links: ProductLink[] = [{ connectionId: sync.connectionId, productId: sync.snap.id, variantId: null, remoteId: remoteProductId, remoteParentId: null }];
  for (const [ref, remoteId] of variantIds) {
    const variantId = posVariantIdOf(ref);
    if (variantId !== null) links.push({ connectionId: sync.connectionId, productId: sync.snap.id, variantId, remoteId, remoteParentId: remoteProductId });
  }
  await sync.db.transaction(async (trx) => {
    const gone = removed.filter((v): v is number => v !== null);
    if (gone.length > 0) await trx('product_links').where({ connection_id: sync.connectionId, product_id: sync.snap.id }).whereIn('variant_id', gone).delete();
    await saveLinks(trx, links, sync.snap.version);
    await savePushedStock(trx, sync);
    if (after) await after(trx);
  });
}
