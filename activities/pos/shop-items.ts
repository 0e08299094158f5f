import type { Knex } from 'knex';
import type { RemoteOrderLine, ShopItemInfo } from '../../domain/remote-order';
import type { ConnectionInfo } from './connections';
import { applyStockChanges, type StockItem } from './stock';

const CHANNELS = ['in_store', 'online'];

/**
 * Creates the POS item for a SKU the POS does not know (M-B6), as the shop has it: a simple
 * product, or a variant of its POS variable product (created from the shop parent when missing)
 * with its attribute values (issue 6.10). It starts at the connection's outlet with the shop's
 * stock level (issue 6.9), so the push-back after an import does not zero the shop.
 * Returns a reason instead when the item cannot be created faithfully.
 */
export async function createFromShop(trx: Knex.Transaction, connection: ConnectionInfo, line: RemoteOrderLine): Promise<StockItem | { problem: string }> {
  const info = line.shop;
  const sku = line.sku!;
  let item: StockItem;
  if (line.remoteVariationId) {
    if (!info?.parent) {
      return { problem: `line "${line.name}": SKU ${sku} is a shop variation the POS does not have, and the shop did not describe it` };
    }
    const parentId = await variableParent(trx, connection, info.parent);
    if (typeof parentId !== 'number') return parentId;
    const counted = await trx('variants').where({ product_id: parentId }).count({ n: '*' });
    const [v] = await trx('variants').insert({
      product_id: parentId, sku, retail_price: info.price ?? line.price, attributes: JSON.stringify(info.attributes), position: Number(counted[0]?.n ?? 0),
    }, ['id']);
    await addOptions(trx, parentId, info.attributes);
    item = { sku, productId: parentId, variantId: v.id };
  } else {
    const [p] = await trx('products').insert({
      sku, type: 'simple', name: info?.name || line.name || sku, retail_price: info?.price ?? line.price, channels: CHANNELS,
    }, ['id']);
    item = { sku, productId: p.id, variantId: null };
  }
  if (info && info.stock !== null) await seedShopStock(trx, connection, item, info);
  return item;
}

/** The POS variable product for a shop parent: linked to it, else by its SKU, else created from it. */
async function variableParent(
  trx: Knex.Transaction, connection: ConnectionInfo, parent: NonNullable<ShopItemInfo['parent']>,
): Promise<number | { problem: string }> {
  const linked = await trx('product_links').where({ connection_id: connection.id, remote_id: parent.remoteId }).whereNull('variant_id').first('product_id');
  const existing = linked
    ? await trx('products').where({ id: linked.product_id }).first('id', 'type', 'sku')
    : parent.sku ? await trx('products').where({ sku: parent.sku }).first('id', 'type', 'sku') : undefined;
  if (existing) {
    return existing.type === 'variable'
      ? existing.id
      : { problem: `the shop's variable product ${parent.sku || parent.remoteId} is the simple product ${existing.sku} in the POS` };
  }
  const [p] = await trx('products').insert({
    sku: parent.sku || `woo-${connection.id}-${parent.remoteId}`, type: 'variable', name: parent.name || parent.sku,
    attributes: JSON.stringify(parent.attributes), channels: CHANNELS,
  }, ['id']);
  return p.id;
}

/** Adds a new variant's attribute values to its product's options when they are missing. */
async function addOptions(trx: Knex.Transaction, productId: number, values: { name: string; option: string }[]): Promise<void> {
  const row = await trx('products').where({ id: productId }).first('attributes');
  const attrs: { name: string; options: string[] }[] = Array.isArray(row?.attributes) ? row.attributes : [];
  let changed = false;
  for (const v of values) {
    const a = attrs.find((x) => x.name.toLowerCase() === v.name.toLowerCase());
    if (!a) {
      attrs.push({ name: v.name, options: [v.option] });
      changed = true;
    } else if (!a.options.includes(v.option)) {
      a.options.push(v.option);
      changed = true;
    }
  }
  if (changed) await trx('products').where({ id: productId }).update({ attributes: JSON.stringify(attrs) });
}

async function seedShopStock(trx: Knex.Transaction, connection: ConnectionInfo, item: StockItem, info: ShopItemInfo): Promise<void> {
  await applyStockChanges(trx, [{ item, outletId: connection.outletId, setTo: info.stock! }], {
    kind: 'initial', registerId: connection.registerId, referenceType: 'woo_product', referenceId: `${connection.id}:${item.sku}`,
    note: `created from the shop with its stock level ${info.stock}`,
  });
  await trx('shop_seeded_items').insert({
    connection_id: connection.id, product_id: item.productId, variant_id: item.variantId, shop_stock: info.stock, shop_stock_at: info.readAt,
  });
}

/** Items created from the shop, keyed `${productId}:${variantId ?? 0}`, with when their shop stock was read. */
export async function seededItems(trx: Knex.Transaction, connectionId: string, productIds: number[]): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await trx('shop_seeded_items').where({ connection_id: connectionId }).whereIn('product_id', [...new Set(productIds)])
    .select('product_id', 'variant_id', 'shop_stock_at');
  return new Map(rows.map((r) => [`${r.product_id}:${r.variant_id ?? 0}`, new Date(r.shop_stock_at).getTime()]));
}
