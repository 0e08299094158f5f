import { type ApiRequest, mergedParams } from './request';
import type { RouteMatch } from './router';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The shop product ids a write request touches (a variation counts as its parent), so the stats can
 * tell when two writes of one product were in flight at once: two writers pushing one product.
 */
export function writtenProductIds(api: ApiRequest, match: RouteMatch | undefined, path: string): number[] {
  if (!WRITES.has(api.method) || !match) return [];
  const one = /^\/products\/(\d+)(?:\/variations(?:\/\d+|\/batch)?)?$/.exec(path);
  if (one) return [Number(one[1])];
  if (path !== '/products/batch') return [];
  const params = mergedParams(api, match.urlParams);
  const ids = [
    ...(Array.isArray(params.update) ? params.update.map((u) => (u && typeof u === 'object' ? Number((u as { id?: unknown }).id) : NaN)) : []),
    ...(Array.isArray(params.delete) ? params.delete.map(Number) : []),
  ];
  return [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
}
