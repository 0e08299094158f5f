// Pieces shared by the product and variation representations.
import { formatNullableDate, formatWpDate } from './dates';
import type { MediaItem } from './media';
import type { AttributeValue, MetaEntry, ProductRecord } from './model';
import { sanitizeTitle } from './sanitize';
import type { Site } from './site';
import type { Store } from './store';

export type RestContext = 'view' | 'edit';

export interface ShapeContext {
  store: Store;
  site: Site;
  context: RestContext;
  now: number;
}

export function dateFields(r: ProductRecord, site: Site): Record<string, string> {
  return {
    date_created: formatWpDate(r.created, site.tzOffsetMinutes),
    date_created_gmt: formatWpDate(r.created),
    date_modified: formatWpDate(r.modified, site.tzOffsetMinutes),
    date_modified_gmt: formatWpDate(r.modified),
  };
}

export function saleDateFields(r: ProductRecord, site: Site): Record<string, string | null> {
  return {
    date_on_sale_from: formatNullableDate(r.saleFrom, site.tzOffsetMinutes),
    date_on_sale_from_gmt: formatNullableDate(r.saleFrom),
    date_on_sale_to: formatNullableDate(r.saleTo, site.tzOffsetMinutes),
    date_on_sale_to_gmt: formatNullableDate(r.saleTo),
  };
}

export function imageObject(item: MediaItem, site: Site): Record<string, unknown> {
  return {
    id: item.id,
    date_created: formatWpDate(item.created, site.tzOffsetMinutes),
    date_created_gmt: formatWpDate(item.created),
    date_modified: formatWpDate(item.modified, site.tzOffsetMinutes),
    date_modified_gmt: formatWpDate(item.modified),
    src: `${site.home}/${item.path}`,
    name: item.name,
    alt: item.alt,
  };
}

export function metaData(meta: MetaEntry[]): Array<Record<string, unknown>> {
  return meta.map((m) => ({ id: m.id, key: m.key, value: m.value }));
}

/** A variation's own value, or its parent's when empty (getters in "view" inherit these). */
export function inherited(store: Store, r: ProductRecord, field: 'weight' | 'length' | 'width' | 'height'): string {
  if (r.type !== 'variation' || r[field] !== '') return r[field];
  return store.get(r.parentId)?.[field] ?? '';
}

/** [{id, name, slug, option}] of a variation, names taken from the parent's attributes. */
export function variationAttributeList(store: Store, r: ProductRecord): Array<Record<string, unknown>> {
  const parent = store.get(r.parentId);
  return r.variationAttributes
    .filter((a) => a.option !== '')
    .map((a: AttributeValue) => {
      const global = a.key.startsWith('pa_') ? store.taxonomy.attributeBySlug(a.key) : undefined;
      const own = parent?.attributes.find((pa) => attributeKey(store, pa.id, pa.name) === a.key);
      return { id: global?.id ?? 0, name: own?.name ?? global?.name ?? a.key, slug: a.key, option: a.option };
    });
}

/** The key a variation stores a parent attribute under: pa_* for global ones, the sanitized name otherwise. */
export function attributeKey(store: Store, id: number, name: string): string {
  return id > 0 ? store.taxonomy.attribute(id).slug : sanitizeTitle(name);
}

/** The variation's name: its attribute values joined (wc_get_formatted_variation). */
export function formattedVariation(r: ProductRecord): string {
  return r.variationAttributes
    .map((a) => a.option)
    .filter((o) => o !== '')
    .join(', ');
}

export function productPermalink(site: Site, r: ProductRecord): string {
  if (r.status === 'publish') return `${site.home}/product/${r.slug}/`;
  return `${site.home}/?post_type=product&p=${r.id}`;
}

/** A variation links to its parent's page with the attribute values in the query. */
export function variationPermalink(ctx: ShapeContext, r: ProductRecord): string {
  const parent = ctx.store.get(r.parentId);
  const base = parent ? productPermalink(ctx.site, parent) : `${ctx.site.home}/?post_type=product_variation&p=${r.id}`;
  const query = r.variationAttributes
    .filter((a) => a.option !== '')
    .map((a) => `attribute_${a.key}=${encodeURIComponent(a.option)}`);
  if (query.length === 0) return base;
  return base + (base.includes('?') ? '&' : '?') + query.join('&');
}
