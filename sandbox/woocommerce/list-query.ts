// Filtering and ordering of product and variation lists (the WP_Query the controllers build).
// Orderings of the whole catalog are cached by id until a write changes what they depend on.
import { absint, isSet, isNumeric, phpStrval, wcStringToBool } from './coerce';
import { dateQueryWallMs } from './dates';
import type { ProductRecord } from './model';
import { displayPrice, isOnSale, variablePrices } from './pricing';
import { wpParseList } from './schema-validate';
import { effectiveStock } from './stock';
import type { SortDependency, Store } from './store';
import type { Params } from './write-common';

type Predicate = (r: ProductRecord) => boolean;

export interface ListEnv {
  store: Store;
  now: number;
  tzOffsetMinutes: number;
}

function idList(v: unknown): number[] {
  return wpParseList(v)
    .map(absint)
    .filter((n) => n > 0);
}

function dateFilters(env: ListEnv, p: Params): Predicate[] {
  const gmt = isSet(p.dates_are_gmt) && wcStringToBool(p.dates_are_gmt);
  const column = (ms: number): number => (gmt ? ms : ms + env.tzOffsetMinutes * 60_000);
  const out: Predicate[] = [];
  const add = (key: string, field: 'created' | 'modified', after: boolean): void => {
    if (!isSet(p[key])) return;
    const limit = dateQueryWallMs(phpStrval(p[key]), env.tzOffsetMinutes);
    if (limit === undefined) return;
    out.push((r) => (after ? column(r[field]) > limit : column(r[field]) < limit));
  };
  add('after', 'created', true);
  add('before', 'created', false);
  add('modified_after', 'modified', true);
  add('modified_before', 'modified', false);
  return out;
}

/** status=any (the default): everything but the trash. */
export const isVisible = (r: ProductRecord): boolean => r.status !== 'trash' && r.status !== 'auto-draft';

export function wantsAnyStatus(p: Params): boolean {
  return !isSet(p.status) || phpStrval(p.status) === 'any';
}

/** The WHERE part: every filter param present in `p`; the status=any filter only when asked for. */
export function listFilters(env: ListEnv, p: Params, includeAnyStatus = true): Predicate[] {
  const filters: Predicate[] = [];
  if (!wantsAnyStatus(p)) filters.push((r) => r.status === phpStrval(p.status));
  else if (includeAnyStatus) filters.push(isVisible);
  if (isSet(p.type)) filters.push((r) => r.type === phpStrval(p.type));
  const include = idList(p.include);
  if (include.length) filters.push((r) => include.includes(r.id));
  const exclude = idList(p.exclude);
  if (exclude.length) filters.push((r) => !exclude.includes(r.id));
  const parents = idList(p.parent);
  if (parents.length) filters.push((r) => parents.includes(r.parentId));
  const parentExclude = idList(p.parent_exclude);
  if (parentExclude.length) filters.push((r) => !parentExclude.includes(r.parentId));
  if (isSet(p.slug) && phpStrval(p.slug) !== '') filters.push((r) => r.slug === phpStrval(p.slug));
  if (isSet(p.search) && phpStrval(p.search).trim() !== '') {
    const terms = phpStrval(p.search).toLowerCase().split(/\s+/).filter(Boolean);
    filters.push((r) => {
      const text = `${r.name}\n${r.description}\n${r.shortDescription}`.toLowerCase();
      return terms.every((t) => text.includes(t));
    });
  }
  if (isSet(p.featured)) filters.push((r) => r.featured === wcStringToBool(p.featured));
  if (isSet(p.on_sale)) {
    const want = wcStringToBool(p.on_sale);
    filters.push((r) => (r.type === 'variable' ? variablePrices(env.store, r, env.now).onSale : isOnSale(r, env.now)) === want);
  }
  if (isSet(p.stock_status)) filters.push((r) => effectiveStock(env.store, r).stockStatus === phpStrval(p.stock_status));
  const categories = idList(p.category);
  if (categories.length) filters.push((r) => r.categoryIds.some((c) => categories.includes(c)));
  const tags = idList(p.tag);
  if (tags.length) filters.push((r) => r.tagIds.some((t) => tags.includes(t)));
  for (const [key, min] of [['min_price', true], ['max_price', false]] as const) {
    if (!isSet(p[key]) || !isNumeric(p[key])) continue;
    const limit = Number(p[key]);
    filters.push((r) => {
      const price = displayPrice(env.store, r, env.now);
      return price !== '' && (min ? Number(price) >= limit : Number(price) <= limit);
    });
  }
  filters.push(...dateFilters(env, p));
  return filters;
}

export interface Ordering {
  orderby: string;
  desc: boolean;
  /** Tie order by id: products come back in id order within a date, variations follow `order`. */
  tiesFollowOrder: boolean;
  include: number[];
}

export function readOrdering(p: Params, tiesFollowOrder: boolean): Ordering {
  return {
    orderby: isSet(p.orderby) ? phpStrval(p.orderby) : 'date',
    desc: !isSet(p.order) || phpStrval(p.order).toLowerCase() !== 'asc',
    tiesFollowOrder,
    include: idList(p.include),
  };
}

function sortKey(env: ListEnv, o: Ordering, r: ProductRecord): number | string {
  switch (o.orderby) {
    case 'id':
      return r.id;
    case 'modified':
      return r.modified;
    case 'title':
      return r.name.toLowerCase();
    case 'slug':
      return r.slug;
    case 'menu_order':
      return r.menuOrder;
    case 'price':
      return Number(displayPrice(env.store, r, env.now) || 0);
    case 'popularity':
      return r.totalSales;
    case 'rating':
      return 0;
    case 'include': {
      const i = o.include.indexOf(r.id);
      return i === -1 ? Number.MAX_SAFE_INTEGER : i;
    }
    default:
      return r.created;
  }
}

export function compareBy(env: ListEnv, o: Ordering): (a: ProductRecord, b: ProductRecord) => number {
  const dir = o.desc && o.orderby !== 'include' ? -1 : 1;
  const tieDir = o.tiesFollowOrder ? dir : 1;
  return (a, b) => {
    const ka = sortKey(env, o, a);
    const kb = sortKey(env, o, b);
    if (ka < kb) return -dir;
    if (ka > kb) return dir;
    return (a.id - b.id) * tieDir;
  };
}

const DEPENDENCY: Record<string, SortDependency> = { id: 'id', date: 'date', title: 'title', slug: 'slug' };
const cache = new WeakMap<Store, Map<string, { version: string; ids: number[] }>>();

/**
 * All products (not variations) in this ordering, as ids, optionally without the trashed ones;
 * recomputed only after writes that change the ordering or the visibility.
 */
export function orderedProductIds(env: ListEnv, o: Ordering, visibleOnly: boolean): number[] {
  const dep = DEPENDENCY[o.orderby] ?? 'any';
  let perStore = cache.get(env.store);
  if (!perStore) cache.set(env.store, (perStore = new Map()));
  const key = `${o.orderby}:${o.desc}:${visibleOnly}`;
  const version = `${env.store.version(dep)}/${visibleOnly ? env.store.version('status') : 0}`;
  const hit = perStore.get(key);
  if (hit && hit.version === version && o.orderby !== 'include') return hit.ids;
  const records: ProductRecord[] = [];
  for (const r of env.store.posts.values()) if (r.type !== 'variation' && (!visibleOnly || isVisible(r))) records.push(r);
  const ids = records.sort(compareBy(env, o)).map((r) => r.id);
  perStore.set(key, { version, ids });
  return ids;
}
