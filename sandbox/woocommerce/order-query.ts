// GET /orders: filters and ordering served from the order book's sorted indexes. The index that
// matches `orderby` is walked in the requested direction, narrowed by binary search when the date
// filter is on the same column; other filters are checked while walking. Nothing is sorted per
// request (except an explicit `include` list), and the matching ids of a query are kept until the
// book changes, so paging through it walks the index once.
import { absint, isSet, phpStrval, wcStringToBool } from './coerce';
import { dateQueryWallMs } from './dates';
import type { OrderBook } from './order-book';
import type { OrderRecord } from './order-model';
import type { Paging } from './pagination';
import { wpParseList } from './schema-validate';
import type { SortedIds } from './sorted-ids';
import type { Params } from './write-common';

type Predicate = (o: OrderRecord) => boolean;

/** status=any (the default): everything but the trash and drafts. */
const HIDDEN_FROM_ANY = new Set(['trash', 'auto-draft', 'checkout-draft']);

export interface OrderPage {
  items: OrderRecord[];
  total: number;
}

function idList(v: unknown): number[] {
  return wpParseList(v)
    .map(absint)
    .filter((n) => n > 0);
}

function statusFilter(p: Params): Predicate {
  const wanted = wpParseList(p.status).map((s) => phpStrval(s).replace(/^wc-/, ''));
  if (wanted.length === 0 || wanted.includes('any')) return (o) => !HIDDEN_FROM_ANY.has(o.status);
  const set = new Set(wanted);
  return (o) => set.has(o.status);
}

interface DateBounds {
  after?: number;
  before?: number;
}

/** after/before limits as instants: values are read in site time unless dates_are_gmt. */
function dateBounds(p: Params, tzOffsetMinutes: number, afterKey: string, beforeKey: string): DateBounds {
  const gmt = isSet(p.dates_are_gmt) && wcStringToBool(p.dates_are_gmt);
  const shift = gmt ? 0 : tzOffsetMinutes * 60_000;
  const read = (key: string): number | undefined => {
    if (!isSet(p[key])) return undefined;
    const wall = dateQueryWallMs(phpStrval(p[key]), tzOffsetMinutes);
    return wall === undefined ? undefined : wall - shift;
  };
  return { after: read(afterKey), before: read(beforeKey) };
}

function boundsFilter(b: DateBounds, field: 'created' | 'modified'): Predicate[] {
  const out: Predicate[] = [];
  if (b.after !== undefined) out.push((o) => o[field] > b.after!);
  if (b.before !== undefined) out.push((o) => o[field] < b.before!);
  return out;
}

function searchFilter(term: string): Predicate {
  const t = term.toLowerCase();
  return (o) =>
    String(o.id) === t ||
    Object.values(o.billing).some((v) => v.toLowerCase().includes(t)) ||
    Object.values(o.shipping).some((v) => v.toLowerCase().includes(t)) ||
    o.lines.some((l) => l.name.toLowerCase().includes(t));
}

/** The WHERE part besides the status and the column the index narrows. */
function otherFilters(p: Params): Predicate[] {
  const out: Predicate[] = [];
  const exclude = new Set(idList(p.exclude));
  if (exclude.size) out.push((o) => !exclude.has(o.id));
  const parents = new Set(idList(p.parent));
  if (parents.size) out.push((o) => parents.has(o.parentId));
  const parentExclude = new Set(idList(p.parent_exclude));
  if (parentExclude.size) out.push((o) => !parentExclude.has(o.parentId));
  if (isSet(p.customer)) {
    const customer = absint(p.customer);
    out.push((o) => o.customerId === customer);
  }
  const product = absint(p.product);
  if (product) out.push((o) => o.lines.some((l) => l.productId === product));
  if (isSet(p.search) && phpStrval(p.search).trim() !== '') out.push(searchFilter(phpStrval(p.search).trim()));
  return out;
}

function indexFor(book: OrderBook, orderby: string): { index: SortedIds; column?: 'created' | 'modified' } {
  if (orderby === 'id') return { index: book.byId };
  if (orderby === 'modified') return { index: book.byModified, column: 'modified' };
  // date, and title/slug ("Order – <date>") follow the creation date.
  return { index: book.byCreated, column: 'created' };
}

/** The filter and ordering params: what a cached answer depends on (besides the book's version). */
const QUERY_KEYS = ['status', 'after', 'before', 'modified_after', 'modified_before', 'dates_are_gmt', 'include', 'exclude', 'parent', 'parent_exclude', 'customer', 'product', 'search', 'orderby', 'order'];
const CACHE_SIZE = 32;
const cache = new WeakMap<OrderBook, Map<string, { version: number; ids: number[] }>>();

/** Every matching id in answer order; paging through the same query reuses one scan until the book changes. */
function matchingIds(book: OrderBook, p: Params, tzOffsetMinutes: number): number[] {
  const key = JSON.stringify(QUERY_KEYS.map((k) => p[k] ?? null));
  let perBook = cache.get(book);
  if (!perBook) cache.set(book, (perBook = new Map()));
  const hit = perBook.get(key);
  if (hit && hit.version === book.version) return hit.ids;
  const ids = scan(book, p, tzOffsetMinutes);
  perBook.delete(key);
  perBook.set(key, { version: book.version, ids });
  if (perBook.size > CACHE_SIZE) perBook.delete(perBook.keys().next().value!);
  return ids;
}

function allOf(filters: Predicate[]): Predicate {
  const n = filters.length;
  return (o) => {
    for (let i = 0; i < n; i++) if (!filters[i]!(o)) return false;
    return true;
  };
}

function scan(book: OrderBook, p: Params, tzOffsetMinutes: number): number[] {
  const orderby = isSet(p.orderby) ? phpStrval(p.orderby) : 'date';
  const desc = !isSet(p.order) || phpStrval(p.order).toLowerCase() !== 'asc';
  const created = dateBounds(p, tzOffsetMinutes, 'after', 'before');
  const modified = dateBounds(p, tzOffsetMinutes, 'modified_after', 'modified_before');
  const filters = [statusFilter(p), ...otherFilters(p)];
  const include = idList(p.include);
  if (include.length > 0) {
    const match = allOf([...filters, ...boundsFilter(created, 'created'), ...boundsFilter(modified, 'modified')]);
    const matches = [...new Set(include)].map((id) => book.get(id)).filter((o): o is OrderRecord => !!o && match(o));
    if (orderby !== 'include') {
      const key = (o: OrderRecord): number => (orderby === 'id' ? o.id : orderby === 'modified' ? o.modified : o.created);
      const dir = desc ? -1 : 1;
      matches.sort((a, b) => (key(a) - key(b) || a.id - b.id) * dir);
    }
    return matches.map((o) => o.id);
  }
  const { index, column } = indexFor(book, orderby);
  let [from, to] = [0, index.size];
  if (column === 'created') [from, to] = index.range(created.after, created.before);
  else filters.push(...boundsFilter(created, 'created'));
  if (column === 'modified') [from, to] = index.range(modified.after, modified.before);
  else filters.push(...boundsFilter(modified, 'modified'));
  const match = allOf(filters);
  const ids: number[] = [];
  const n = to - from;
  for (let k = 0; k < n; k++) {
    const id = index.at(desc ? to - 1 - k : from + k);
    if (match(book.get(id)!)) ids.push(id);
  }
  return ids;
}

export function queryOrders(book: OrderBook, p: Params, paging: Paging, tzOffsetMinutes: number): OrderPage {
  const ids = matchingIds(book, p, tzOffsetMinutes);
  const start = paging.offset ?? (paging.page - 1) * paging.perPage;
  const items = ids.slice(start, start + paging.perPage).map((id) => book.get(id)!);
  // WooCommerce 8.9 with HPOS answers a page (or offset) past the end with X-WP-Total 0, unlike
  // products (test/fixtures/woocommerce-real/orders-date-cursor.json, "pastEnd").
  return { items, total: items.length === 0 ? 0 : ids.length };
}
