// Linked shop ids given to another product (issue 8 point 1). A shop that lost products (a restored
// backup, a wiped sandbox) hands their ids out again, and an update by id would overwrite that other
// product with ours. Every push writes our product id into the product's possync meta, so the
// product at a linked id is someone else's when that meta names another POS product or, without
// our meta, when it holds another SKU. Such a link is treated like one whose product is gone.
import { POSSYNC_META_KEY } from '../../domain/woo-mapping';
import { metaValue } from './shop-creations';
import type { WooProduct } from './types';

/** The product at a linked id is someone else's. */
export function heldByAnother(remote: Pick<WooProduct, 'sku' | 'meta_data'>, ours: { productId: number; sku: string }): boolean {
  const owner = metaValue(remote.meta_data, POSSYNC_META_KEY);
  if (owner !== undefined) return owner !== String(ours.productId);
  return (remote.sku ?? '') !== '' && remote.sku.toLowerCase() !== ours.sku.toLowerCase();
}
