// Paging of list endpoints: page/per_page/offset, X-WP-Total, X-WP-TotalPages and Link prev/next
// (the request's query repeated, urlencoded, with page replaced or appended).
import { absint, isSet } from './coerce';
import { type PhpMap, buildWpQuery } from './php-query';
import { type Site, restUrl } from './site';
import type { Params } from './write-common';

export interface Paging {
  page: number;
  perPage: number;
  offset: number | undefined;
}

export function readPaging(params: Params): Paging {
  return {
    page: isSet(params.page) ? absint(params.page) : 1,
    perPage: isSet(params.per_page) ? absint(params.per_page) : 10,
    offset: isSet(params.offset) ? absint(params.offset) : undefined,
  };
}

export function pageSlice<T>(items: readonly T[], paging: Paging): T[] {
  const start = paging.offset ?? (paging.page - 1) * paging.perPage;
  return items.slice(start, start + paging.perPage);
}

function pageLink(site: Site, route: string, query: PhpMap, page: number): string {
  const q: PhpMap = new Map(query);
  q.set('page', String(page));
  return `${restUrl(site, route)}?${buildWpQuery(q).join('&')}`;
}

/** `route` is the collection route with ids filled in, e.g. '/wc/v3/products/11/variations'. */
export function listHeaders(site: Site, route: string, query: PhpMap, paging: Paging, total: number): Record<string, string> {
  const maxPages = Math.ceil(total / Math.max(1, paging.perPage));
  const headers: Record<string, string> = { 'X-WP-Total': String(total), 'X-WP-TotalPages': String(maxPages) };
  const links: string[] = [];
  if (paging.page > 1) links.push(`<${pageLink(site, route, query, Math.min(paging.page - 1, maxPages))}>; rel="prev"`);
  if (maxPages > paging.page) links.push(`<${pageLink(site, route, query, paging.page + 1)}>; rel="next"`);
  if (links.length > 0) headers.Link = links.join(', ');
  return headers;
}
