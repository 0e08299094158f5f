import type { Role } from './settings';

/**
 * What a route needs. A route is admin unless it is listed here: a route added later is closed
 * to tills until someone decides otherwise. Reads need any valid token, except those below.
 */
export type Access = 'public' | 'signed' | 'metrics' | Role;

/** What a till does: sales, refunds, exchanges and the four stock documents. */
const TILL_WRITES = new Set([
  'POST /api/sales', 'POST /api/refunds', 'POST /api/exchanges',
  'POST /api/stock-counts', 'POST /api/stock-orders', 'POST /api/stock-transfers', 'POST /api/stock-adjustments',
]);

/** Reads that say nothing of the shop's data: the API index, its README and what a load balancer probes. */
const PUBLIC_READS = new Set(['/api', '/api/readme', '/api/health/live', '/api/health/ready']);

/** Reads only an admin may make. */
const ADMIN_READS = new Set(['/api/tokens', '/api/connections/:id/budget']);

/** `route` is the matched route pattern (undefined for an unknown URL), `path` the URL without its query. */
export function requiredAccess(method: string, route: string | undefined, path: string): Access {
  // SmartBill's stock calls carry SmartBill's own bearer token, checked by the receiver (issue 12); WooCommerce's
  // webhooks are signed, eCom's (/webhooks/ecom/:connectionId) carry the connection's token in the address.
  if (route?.startsWith('/webhooks/') || route?.startsWith('/smartbill/') || route === '/wp-json/smartbill_woocommerce/v1/stocks') return 'signed';
  if (method === 'GET' || method === 'HEAD') {
    // Decided by the path too: the metrics route may live in another module or not be there at all.
    if (path === '/metrics') return 'metrics';
    if (route === undefined) return 'till';
    if (PUBLIC_READS.has(route)) return 'public';
    return ADMIN_READS.has(route) ? 'admin' : 'till';
  }
  return route !== undefined && TILL_WRITES.has(`${method} ${route}`) ? 'till' : 'admin';
}

/** Writes whose body is a CSV file rather than JSON. */
export const CSV_WRITES = new Set(['POST /api/products/import']);
