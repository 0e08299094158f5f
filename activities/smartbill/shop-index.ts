import type { Knex } from 'knex';
import type { WooClient } from '../woocommerce/client';
import type { WooProduct, WooVariation } from '../woocommerce/types';
import { wpSlug } from '../../domain/wp-slug';
import { WOO_MAX_PER_PAGE } from '../woocommerce/client';

/**
 * The WooCommerce store's products and variations (SKU, name slug, status, stock management), kept in
 * PostgreSQL, so matching a SmartBill item costs no request (issue 12). The first refresh reads the whole
 * store; later ones only what changed after the newest modification seen (`modified_after`).
 */
export interface ShopItem {
  itemId: number;
  parentId: number | null;
  manageStock: 'true' | 'false' | 'parent';
  stockQuantity: number | null;
}

export interface IndexRefresh {
  requests: number;
  items: number;
  full: boolean;
}

export async function refreshShopIndex(db: Knex, client: WooClient, shopConnectionId: string, opts: { full?: boolean } = {}): Promise<IndexRefresh> {
  const state = await db('smartbill_shop_index_state').where({ shop_connection_id: shopConnectionId }).first();
  const full = opts.full || !state?.modified_through;
  // One second back: WooCommerce dates have seconds, and an item saved in the watermark's second may be unseen.
  const since: Date | undefined = full ? undefined : new Date(new Date(state.modified_through).getTime() - 1000);
  let requests = 0;
  let newest: number = since?.getTime() ?? 0;
  const seen: number[] = [];
  for (let page = 1; ; page += 1) {
    const list = await client.listProducts({
      page, per_page: WOO_MAX_PER_PAGE, status: 'any', orderby: 'id', order: 'asc',
      ...(since ? { modified_after: since.toISOString().slice(0, 19), dates_are_gmt: true } : {}),
    });
    requests += 1;
    const rows: Record<string, unknown>[] = [];
    for (const p of list.items) {
      rows.push(productRow(shopConnectionId, p));
      seen.push(p.id);
      newest = Math.max(newest, modifiedMs(p.date_modified_gmt));
      if (p.type === 'variable') {
        const variations = await client.listAllVariations(p.id);
        requests += Math.max(1, Math.ceil(variations.length / WOO_MAX_PER_PAGE));
        await db('smartbill_shop_items').where({ shop_connection_id: shopConnectionId, parent_id: p.id }).whereNotIn('item_id', variations.map((v) => v.id)).delete();
        for (const v of variations) {
          rows.push(variationRow(shopConnectionId, p.id, v));
          seen.push(v.id);
        }
      }
    }
    if (rows.length) await db('smartbill_shop_items').insert(rows).onConflict(['shop_connection_id', 'item_id']).merge();
    if (page >= list.totalPages || list.items.length === 0) break;
  }
  if (full) {
    await db('smartbill_shop_items').where({ shop_connection_id: shopConnectionId })
      .whereRaw('NOT (item_id = ANY(?::int[]))', [seen]).delete();
  }
  await db('smartbill_shop_index_state')
    .insert({ shop_connection_id: shopConnectionId, modified_through: newest ? new Date(newest) : null, refreshed_at: db.fn.now() })
    .onConflict('shop_connection_id').merge();
  return { requests, items: seen.length, full };
}

export type Match = { kind: 'one'; item: ShopItem } | { kind: 'none' } | { kind: 'ambiguous'; itemIds: number[] };

/**
 * The plugin's matching (M-D1): a code against the SKUs of published products and variations (exact;
 * MySQL compares it case-insensitively), else the name's slug against their names' slugs. Unlike the
 * plugin, which takes the first (code) or the last (name) hit, two hits are an ambiguity.
 */
export async function matchShopItems(db: Knex, shopConnectionId: string, productKeys: string[]): Promise<Map<string, Match>> {
  const codes = productKeys.filter((k) => k.startsWith('code:')).map((k) => k.slice(5));
  const slugs = productKeys.filter((k) => k.startsWith('name:')).map((k) => k.slice(5));
  const rows = await db('smartbill_shop_items')
    .where({ shop_connection_id: shopConnectionId, status: 'publish' })
    .andWhere((q) => {
      q.whereRaw('lower(sku) = ANY(?::text[])', [codes]).orWhereRaw('name_slug = ANY(?::text[])', [slugs]);
    })
    .select('item_id', 'parent_id', 'manage_stock', 'stock_quantity', 'sku', 'name_slug');
  const hits = new Map<string, ShopItem[]>();
  const add = (key: string, r: any) => hits.set(key, [...(hits.get(key) ?? []), { itemId: r.item_id, parentId: r.parent_id, manageStock: r.manage_stock, stockQuantity: r.stock_quantity }]);
  const codeSet = new Set(codes);
  const slugSet = new Set(slugs);
  for (const r of rows) {
    if (r.sku && codeSet.has(r.sku.toLowerCase())) add(`code:${r.sku.toLowerCase()}`, r);
    if (slugSet.has(r.name_slug)) add(`name:${r.name_slug}`, r);
  }
  const out = new Map<string, Match>();
  for (const key of productKeys) {
    const found = hits.get(key) ?? [];
    out.set(key, found.length === 0 ? { kind: 'none' } : found.length === 1 ? { kind: 'one', item: found[0]! } : { kind: 'ambiguous', itemIds: found.map((f) => f.itemId) });
  }
  return out;
}

/** What was just written is what the shop holds now. */
export async function rememberStock(db: Knex, shopConnectionId: string, levels: { itemId: number; quantity: number }[]): Promise<void> {
  if (levels.length === 0) return;
  await db.raw(
    `UPDATE smartbill_shop_items s SET stock_quantity = v.q FROM unnest(?::int[], ?::int[]) AS v(id, q)
     WHERE s.shop_connection_id = ? AND s.item_id = v.id`,
    [levels.map((l) => l.itemId), levels.map((l) => l.quantity), shopConnectionId],
  );
}

export async function forgetShopItem(db: Knex, shopConnectionId: string, itemId: number): Promise<void> {
  await db('smartbill_shop_items').where({ shop_connection_id: shopConnectionId, item_id: itemId }).delete();
}

function productRow(shop: string, p: WooProduct) {
  return {
    shop_connection_id: shop, item_id: p.id, parent_id: null, sku: p.sku ?? '', name_slug: wpSlug(p.name ?? ''),
    status: p.status, manage_stock: String(p.manage_stock), stock_quantity: p.stock_quantity ?? null,
    modified_at: p.date_modified_gmt ? `${p.date_modified_gmt}Z` : null,
  };
}

function variationRow(shop: string, parentId: number, v: WooVariation) {
  return {
    shop_connection_id: shop, item_id: v.id, parent_id: parentId, sku: v.sku ?? '', name_slug: wpSlug(v.name ?? ''),
    status: v.status, manage_stock: String(v.manage_stock), stock_quantity: v.stock_quantity ?? null,
    modified_at: v.date_modified_gmt ? `${v.date_modified_gmt}Z` : null,
  };
}

const modifiedMs = (gmt: string | null | undefined): number => (gmt ? Date.parse(`${gmt}Z`) : 0);
