import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

const README_FILE = path.join(__dirname, '..', '..', 'README.md');

/** One line per route; a route registered without one is still listed (marked), so the index never hides a route. */
const MEANINGS: Record<string, string> = {
  'GET /api': 'this index',
  'GET /api/readme': "the README (markdown): the API's fields, limits, Idempotency-Key, health",
  'POST /api/products': 'save a product: the whole document (simple or variable, with variants)',
  'POST /api/products/import': 'import products from a CSV (text/csv)',
  'GET /api/products': 'list products (?sku=, ?limit=1..500, ?after_id=)',
  'GET /api/products/:id': 'one product with its variants, stock and shop links',
  'GET /api/products/:id/sync-log': "a product's recent sync log entries",
  'POST /api/products/:id/archive': "archive a product (the POS's delete, body {}): deleted in eCom, taken offline in WooCommerce, never created again",
  'POST /api/sales': 'record a sale at a register: {register_id, lines:[{sku, quantity, price?}]}',
  'POST /api/refunds': 'record a refund at a register',
  'POST /api/exchanges': 'record an exchange (returned and sold lines)',
  'POST /api/stock-counts': 'set counted stock at an outlet',
  'POST /api/stock-orders': 'receive a stock order at an outlet',
  'POST /api/stock-transfers': 'move stock between outlets',
  'POST /api/stock-adjustments': 'adjust stock at an outlet with a reason',
  'GET /api/outlets': 'the outlets',
  'GET /api/registers': 'the registers',
  'GET /api/connections': 'the shop connections',
  'GET /api/connections/:id/outlets': "the outlets whose stock a connection sums",
  'PUT /api/connections/:id/outlets': 'replace that set: {outlet_ids:[…]}; linked products whose stock changes are pushed',
  'GET /api/drift-reports/:id': 'a drift report (possync drift): counts per kind and every item found',
  'GET /api/sync-failures': 'failing pushes, blocked connections, recent sync failures',
  'GET /api/health/live': 'liveness: 200 while the process runs',
  'GET /api/health/ready': 'readiness: PostgreSQL and Temporal answer (503 names the failed check)',
  'GET /api/health': 'readiness plus, per connection, queued pushes, last success and last failure',
  'POST /webhooks/woocommerce/:connectionId': 'WooCommerce order webhooks (signature checked)',
};

export interface ApiIndexRoute {
  method: string;
  path: string;
  meaning: string;
}

/**
 * Issue 8.12: `GET /api` answers a JSON index of the API (every route registered after this
 * one, its method and a one-line meaning) and links the README. Register it first.
 */
export function registerApiIndexRoute(app: FastifyInstance): void {
  const routes: ApiIndexRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({ method, path: r.url, meaning: MEANINGS[`${method} ${r.url}`] ?? '(not described yet: see the README)' });
    }
  });
  app.get('/api', async (req) => ({
    name: 'possync POS API',
    readme: `${req.protocol}://${req.host}/api/readme`,
    readme_section: 'The POS API',
    routes: [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
  }));
  app.get('/api/readme', async (_req, reply) => {
    const text = await fs.promises.readFile(README_FILE, 'utf8').catch(() => undefined);
    if (text === undefined) return reply.status(404).send({ error: 'not_found', message: 'README.md is not beside this server' });
    return reply.type('text/markdown; charset=utf-8').send(text);
  });
}
