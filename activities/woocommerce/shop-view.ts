import type { Db } from '../../db/connection';
import type { ProductSnapshot } from '../../domain/product';
import { toWooProduct, toWooVariation } from '../../domain/woo-mapping';
import type { ShopFields, ShopViewInput, ShopViewItem, ShopViewResult } from '../../workflows/contracts/shop-view';
import { getConnection } from '../pos/connections';
import { linksOf } from '../pos/links';
import { loadConnectionSnapshot, outletsOfConnection } from '../pos/connection-outlets';
import type { WooClient } from './client';
import { WooApiError } from './errors';
import type { WooClients } from './product-push';
import type { WooProduct, WooVariation } from './types';
import { ApplicationFailure } from '@temporalio/common';

type ShopItem = WooProduct | WooVariation;

const COMPARED: (keyof ShopFields)[] = ['status', 'sku', 'name', 'manage_stock', 'stock_quantity', 'regular_price', 'sale_price'];

function same(field: keyof ShopFields, a: unknown, b: unknown): boolean {
  if (field === 'regular_price' || field === 'sale_price') {
    return a === b || (a !== '' && b !== '' && Number(a) === Number(b));
  }
  // WordPress stores a title's & < > as entities; the name the POS sent is the same name.
  if (field === 'name' && typeof a === 'string' && typeof b === 'string') return decodeEntities(a) === decodeEntities(b);
  return a === b;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#039': "'", '#39': "'" };
const decodeEntities = (s: string): string => s.replace(/&(amp|lt|gt|quot|#0?39);/g, (_m, e: string) => ENTITIES[e]!);

/** The fields that differ between the shop and what the POS would push. */
export function compareShopFields(shop: ShopFields | null, pos: ShopFields | null): string[] {
  if (!shop && !pos) return [];
  if (!shop) return ['missing in the shop'];
  if (!pos) return ['not in the POS'];
  return COMPARED.filter((f) => f in pos && !same(f, shop[f], pos[f]));
}

export function shopSide(i: ShopItem, variation: boolean): NonNullable<ShopViewItem['shop']> {
  return {
    id: i.id, type: i.type, status: i.status, sku: i.sku, ...(!variation && i.name !== undefined ? { name: i.name } : {}),
    manage_stock: i.manage_stock, stock_quantity: i.stock_quantity, stock_status: i.stock_status,
    regular_price: i.regular_price, sale_price: i.sale_price, date_modified_gmt: i.date_modified_gmt,
  };
}

/** The compared fields of a push payload. */
export function pick(o: ShopFields): ShopFields {
  const out: Partial<Record<keyof ShopFields, unknown>> = {};
  for (const f of COMPARED) if (f in o) out[f] = o[f];
  return out as ShopFields;
}

const variationLabel = (attributes: { name: string; option: string }[], sku: string): string =>
  `variation ${attributes.map((a) => `${a.name}=${a.option}`).join(', ') || sku}`;

function item(label: string, posVariantId: number | null, linkedRemoteId: number | null, shop: ShopItem | undefined, pos: ShopFields | null): ShopViewItem {
  const shopFields = shop ? shopSide(shop, label !== 'product') : null;
  return { label, posVariantId, linkedRemoteId, shop: shopFields, pos, differences: compareShopFields(shopFields, pos) };
}

/** The shop's product for the POS product: the linked one, else one holding its SKU. */
async function shopParent(client: WooClient, remoteId: number | undefined, sku: string): Promise<WooProduct | undefined> {
  if (remoteId !== undefined) {
    try {
      return await client.getProduct(remoteId);
    } catch (err) {
      if (err instanceof WooApiError && err.kind === 'not_found') return undefined;
      throw err;
    }
  }
  return (await client.findBySkus([sku])).find((p): p is WooProduct => p.type !== 'variation');
}

async function posProductIdOf(db: Db, sku: string): Promise<number | undefined> {
  const p = await db('products').whereRaw('lower(sku) = lower(?)', [sku]).first('id');
  if (p) return p.id;
  const v = await db('variants').whereRaw('lower(sku) = lower(?)', [sku]).first('product_id');
  return v?.product_id;
}

/** Both sides item by item: the product, then every POS variant and every shop variation. */
async function compare(client: WooClient, snapshot: ProductSnapshot, links: { variantId: number | null; remoteId: number }[]): Promise<ShopViewItem[]> {
  const parentLink = links.find((l) => l.variantId === null);
  const parent = await shopParent(client, parentLink?.remoteId, snapshot.sku);
  const items = [item('product', null, parentLink?.remoteId ?? null, parent, pick(toWooProduct(snapshot)))];
  const variations = parent?.type === 'variable' ? await client.listAllVariations(parent.id) : [];
  const used = new Set<number>();
  for (const v of snapshot.variants) {
    const linked = links.find((l) => l.variantId === v.id)?.remoteId;
    const shop = variations.find((x) => x.id === linked) ?? variations.find((x) => x.sku.toLowerCase() === v.sku.toLowerCase() && !used.has(x.id));
    if (shop) used.add(shop.id);
    items.push(item(variationLabel(v.attributes, v.sku), v.id, linked ?? null, shop, pick(toWooVariation(snapshot.id, v))));
  }
  for (const x of variations.filter((s) => !used.has(s.id))) {
    items.push(item(variationLabel(x.attributes, x.sku), null, null, x, null));
  }
  return items;
}

/**
 * Issue 8.4/8.5: reads what a shop holds for a SKU and sets it beside what the POS would push
 * (the push's own mapping, domain/woo-mapping.ts). A shop that cannot be read is an answer
 * (`shopError`, the POS side still filled in), not a failure: the caller shows why.
 */
export function createShopViewActivities(deps: { db: Db; woo: WooClients }) {
  return {
    async readShopView(input: ShopViewInput): Promise<ShopViewResult> {
      const connection = await getConnection(deps.db, input.connectionId);
      if (!connection) throw ApplicationFailure.nonRetryable(`no connection "${input.connectionId}"`, 'UnknownConnection');
      const productId = await posProductIdOf(deps.db, input.sku);
      const snapshot = productId === undefined ? undefined : await loadConnectionSnapshot(deps.db, connection.id, productId);
      const result: ShopViewResult = {
        connectionId: input.connectionId,
        sku: input.sku,
        pos: snapshot ? { productId: snapshot.id, sku: snapshot.sku, name: snapshot.name, type: snapshot.type, version: snapshot.version, outletIds: await outletsOfConnection(deps.db, connection.id) } : null,
        items: [],
      };
      const client = deps.woo.get(input.connectionId);
      const links = snapshot ? await linksOf(deps.db, input.connectionId, [snapshot.id]) : [];
      const linkOf = (variantId: number | null) => links.find((l) => l.variantId === variantId)?.remoteId ?? null;
      try {
        if (snapshot) {
          result.items = await compare(client, snapshot, links);
        } else {
          result.items = (await client.findBySkus([input.sku])).map((s) => item(s.type === 'variation' ? 'variation' : 'product', null, null, s, null));
        }
      } catch (err) {
        if (!(err instanceof WooApiError)) throw err;
        result.shopError = err.message;
        // The POS side alone: nothing can be said about differences.
        if (snapshot) {
          result.items = [
            item('product', null, linkOf(null), undefined, pick(toWooProduct(snapshot))),
            ...snapshot.variants.map((v) => item(variationLabel(v.attributes, v.sku), v.id, linkOf(v.id), undefined, pick(toWooVariation(snapshot.id, v)))),
          ].map((i) => ({ ...i, differences: [] }));
        }
      }
      return result;
    },
  };
}
