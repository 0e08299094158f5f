import assert from 'node:assert/strict';
import { ecomClientFor } from '../../activities/ecom/product-writer';
import { SharedRequestBudget } from '../../activities/ecom/shared-budget';
import { apiClient, tillToken } from '../helpers/api';
import { type EcomTestShop, freshEcomShop } from '../helpers/ecom-shop';
import { simpleProduct, uniqueSku, variableProduct } from '../helpers/shop';
import { useTestStack } from '../helpers/suite-setup';
import { runCli } from '../cli/run-cli';

describe('possync budget <connection> and GET /api/connections/:id/budget', function () {
  this.timeout(120_000);
  const stack = useTestStack();
  let shop: EcomTestShop;

  before(async function () {
    this.timeout(600_000);
    // Queued by hand with the connection inactive, so the dispatcher and the writer leave the backlog as it is.
    const save = async (doc: Record<string, unknown>) => (await apiClient(stack).post('/api/products', doc)).data.id as number;
    const simple = await save(simpleProduct(uniqueSku('B')));
    const variable = await save(variableProduct(uniqueSku('BV')));
    // Windows of 150 s (time scale 0.5): none starts again while the test reads them.
    shop = await freshEcomShop(stack, { rateLimit: { timeScale: 0.5 } });
    await stack.db('connections').where({ id: shop.connectionId }).update({ active: false });
    // The dispatcher may have queued them as the connection appeared: set the rows as this test needs
    // them, with a newer seq than any writer call in flight read.
    for (const [productId, stockOnly] of [[simple, true], [variable, false]] as const) {
      await stack.db.raw(
        `INSERT INTO ecom_write_queue (connection_id, product_id, stock_only, seq, reason) VALUES (?, ?, ?, nextval('ecom_write_seq'), 'test')
         ON CONFLICT (connection_id, product_id) DO UPDATE SET stock_only = EXCLUDED.stock_only, seq = EXCLUDED.seq`,
        [shop.connectionId, productId, stockOnly],
      );
    }
    shop.sandbox.resetStats();
    const client = ecomClientFor(stack.ecom, shop.connectionId, undefined, stack.db);
    await Promise.all(Array.from({ length: 5 }, () => client.products.count()));
    await (client.budget as SharedRequestBudget).settled();
    client.close();
  });
  after(async () => shop?.close());

  it('answers the shared budget of the connection: windows as last observed, counters, backlog and time to drain', async () => {
    const res = await apiClient(stack).get(`/api/connections/${shop.connectionId}/budget`);
    assert.equal(res.status, 200, JSON.stringify(res.data));
    const r = res.data;
    assert.equal(r.connectionId, shop.connectionId);
    assert.ok(!String(r.budgetKey).includes(shop.sandbox.apiKey), 'the key itself is never shown');
    assert.equal(r.timeScale, shop.sandbox.timeScale);
    assert.deepEqual(r.windows.map((w: { window: string; limit: number; used: number; remaining: number }) => [w.window, w.limit, w.used, w.remaining]), [
      ['5 minutes', 300, 5, 295], ['hour', 3000, 5, 2995], ['day', 12000, 5, 11995],
    ]);
    assert.equal(r.sent, 5);
    assert.equal(r.rateLimited, 0);
    assert.equal(r.inFlight, 0);
    // A stock row writes its one shop variant; a catalog row the product and its four variants.
    assert.deepEqual(r.backlog, { stockProducts: 1, catalogProducts: 1, requests: 6 });
    assert.ok(r.drainSeconds > 0);
  });

  it('prints the same through the CLI', async () => {
    const { stdout } = await runCli(stack, 'budget', shop.connectionId);
    assert.match(stdout, new RegExp(`request budget of ${shop.connectionId} \\(`));
    assert.match(stdout, /5 minutes: 5 of 300 used, 295 remaining, resets in /);
    assert.match(stdout, /hour: 5 of 3000 used, 2995 remaining/);
    assert.match(stdout, /requests sent 5, refused with 429 0, in flight 0/);
    assert.match(stdout, /backlog: 1 stock-only and 1 catalog products queued \(at most 6 requests\); about .+ to send them/);
  });

  it('404 for an unknown connection, 400 for a WooCommerce one, admin only', async () => {
    const unknown = await apiClient(stack).get('/api/connections/no-such-shop/budget');
    assert.equal(unknown.status, 404);
    assert.match(unknown.data.message, /no connection no-such-shop/);
    await assert.rejects(runCli(stack, 'budget', 'no-such-shop'), (err: { stderr: string }) => /no connection no-such-shop/.test(err.stderr));
    const wooId = `woo-${shop.connectionId}`;
    await stack.db('connections').insert({ id: wooId, kind: 'woocommerce', name: 'Woo beside', base_url: 'http://127.0.0.1:1', register_id: shop.registerId, active: false });
    const notEcom = await apiClient(stack).get(`/api/connections/${wooId}/budget`);
    assert.equal(notEcom.status, 400);
    assert.match(notEcom.data.message, /woocommerce connection; only Lightspeed eCom connections have a request budget/);
    const till = await apiClient(stack, await tillToken(stack)).get(`/api/connections/${shop.connectionId}/budget`);
    assert.equal(till.status, 403);
  });
});
