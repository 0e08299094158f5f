// Issue 10: an eCom connection runs like a WooCommerce one. POS changes go through the push
// dispatcher into the connection's write queue, and its one writer (ecom-writer/<connection>)
// writes them within the shop's budget: real PostgreSQL, Temporal, HTTP to the eCom sandbox.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { png } from './helpers/image-server';
import { ecomWriterWorkflowId } from '../workflows/contracts/ecom-writer';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { ecomCatalogSync } from '../workflows/ecom-catalog-sync';
import { retryNowSignal } from '../workflows/contracts/retry';
import { PushDispatcher } from '../server/push-dispatcher';
import { createLogger } from '../stack/logger';
import { runCli } from './cli/run-cli';
import { ecomProductsWithSku, ecomVariantBySku, freshEcomShop, type EcomTestShop } from './helpers/ecom-shop';
import { simpleProduct, uniqueSku, waitFor } from './helpers/shop';
import { SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS, useTestStack } from './helpers/suite-setup';

describe('eCom writer: dispatcher, write queue, ecom-writer workflow (issue 10)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let shop: EcomTestShop;
  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    // Earlier test files' products are online: a newly active eCom connection would rightly take them all. These tests count writes of their own.
    await stack.db('products').update({ channels: ['in_store'] });
    shop = await freshEcomShop(stack, {}, { writer: true });
  });
  after(async () => {
    shop?.sandbox.resetFaults();
    await shop?.close();
  });

  const queued = async () => Number((await stack.db('ecom_write_queue').where({ connection_id: shop.connectionId }).count({ n: '*' }).first())?.n ?? 0);
  const queueEmpty = () => waitFor('the eCom write queue empty', async () => (await queued()) === 0);
  const productIdOf = async (sku: string): Promise<number> => (await stack.db('products').where({ sku }).first('id')).id;
  const sell = async (sku: string, quantity: number) => {
    const res = await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity }] });
    assert.equal(res.status, 201, JSON.stringify(res.data));
  };
  /** Cuts the writer's retry backoff short, as `possync retry` does. */
  const retryNow = () => stack.client.workflow.getHandle(ecomWriterWorkflowId(shop.connectionId)).signal(retryNowSignal);

  it('a product saved in the POS reaches the shop through the dispatcher and the writer; a sale then writes only its stock', async () => {
    const sku = uniqueSku('EWR');
    const id = await shop.save(simpleProduct(sku));
    await shop.count({ [sku]: 10 });
    await waitFor('the product in the shop with stock 10', () => ecomVariantBySku(shop.sandbox, sku)?.stockLevel === 10);
    await queueEmpty();
    const link = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: id }).whereNull('variant_id').first();
    assert.equal(Number(link.remote_id), ecomVariantBySku(shop.sandbox, sku)!.product);

    shop.sandbox.resetStats();
    await sell(sku, 3);
    await waitFor('the sale in the shop', () => ecomVariantBySku(shop.sandbox, sku)?.stockLevel === 7);
    await queueEmpty();
    const stats = shop.sandbox.stats();
    assert.equal(stats.writes, 1, JSON.stringify(stats.byRoute));
    assert.equal(stats.byRoute['PUT /variants/{id}'], 1, JSON.stringify(stats.byRoute));
    const logged = await stack.db('sync_log').where({ connection_id: shop.connectionId, product_id: id, action: 'ecom stock' }).first();
    assert.equal(logged?.status, 'ok');
    // The writer's line in the Web UI: counts only.
    const described = await stack.client.workflow.getHandle(ecomWriterWorkflowId(shop.connectionId)).describe();
    assert.equal(described.searchAttributes.PossyncConnection?.[0], shop.connectionId);
  });

  it('50 sales of one product while the writer is held by the shop cost one stock write', async () => {
    const sku = uniqueSku('EW50');
    await shop.save(simpleProduct(sku));
    await shop.count({ [sku]: 100 });
    await waitFor('the product in the shop with stock 100', () => ecomVariantBySku(shop.sandbox, sku)?.stockLevel === 100);
    await queueEmpty();
    const id = await productIdOf(sku);

    // The shop answers 503 to every variant write: the writer holds the product and retries.
    shop.sandbox.resetStats();
    shop.sandbox.setFaults({ rules: [{ method: 'PUT', path: /^\/variants\/\d+$/, status: 503 }] });
    for (let i = 0; i < 50; i += 5) await Promise.all([0, 1, 2, 3, 4].map(() => sell(sku, 1)));
    await waitFor('the writer held by the shop', () => shop.sandbox.stats().faultsInjected > 0);
    await waitFor('every sale routed to the queue', async () => (await stack.db('push_outbox').where({ product_id: id }).first()) === undefined);
    assert.equal(await queued(), 1, 'one queue row for the product, however many sales');

    shop.sandbox.resetStats();
    shop.sandbox.resetFaults();
    await retryNow();
    await waitFor('the 50 sales in the shop', () => ecomVariantBySku(shop.sandbox, sku)?.stockLevel === 50);
    await queueEmpty();
    assert.equal(shop.sandbox.stats().writes, 1, JSON.stringify(shop.sandbox.stats().byRoute));
  });

  it('a product the shop refuses is listed by possync failures, and the writer carries on with the next', async () => {
    const refusedSku = uniqueSku('EWREF');
    shop.sandbox.setFaults({ rules: [{ method: 'POST', path: /^\/products$/, status: 400, body: { error: { code: 400, method: 'POST', request: '/nl/products.json', message: 'Invalid product title' } }, times: 1 }] });
    const refusedId = await shop.save(simpleProduct(refusedSku));
    const failure = await waitFor('the refusal recorded', () =>
      stack.db('push_failures').where({ connection_id: shop.connectionId, product_id: refusedId }).first());
    assert.equal(failure.will_retry, false);
    assert.match(failure.last_error, /Invalid product title/);

    const nextSku = uniqueSku('EWNEXT');
    await shop.save(simpleProduct(nextSku));
    await waitFor('the next product in the shop', () => ecomVariantBySku(shop.sandbox, nextSku));
    assert.equal(ecomVariantBySku(shop.sandbox, refusedSku), undefined);

    const { stdout } = await runCli(stack, 'failures');
    assert.match(stdout, new RegExp(`${shop.connectionId}.*${refusedSku}|${refusedSku}.*${shop.connectionId}`));
    assert.match(stdout, /Invalid product title/);
    const status = await runCli(stack, 'status', nextSku);
    assert.match(status.stdout, new RegExp(`${shop.connectionId} \\(Lightspeed eCom\\) last push: .* ok created`));
    assert.match(status.stdout, new RegExp(`${shop.connectionId}: product -> remote \\d+`));
  });

  it('concurrent saves of one product produce one eCom product', async () => {
    const sku = uniqueSku('EWCC');
    // In store only first: the concurrent saves below are what put it online.
    await shop.save(simpleProduct(sku, { channels: ['in_store'] }));
    shop.sandbox.resetStats();
    const saves = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => shop.api.post('/api/products', simpleProduct(sku, { name: `Product ${sku} v${i}` }))));
    for (const r of saves) assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.data));
    const id = await productIdOf(sku);
    const name: string = (await stack.db('products').where({ id }).first('name')).name;
    await waitFor('the product in the shop with its last saved name', () => {
      const v = ecomVariantBySku(shop.sandbox, sku);
      return v && shop.sandbox.state.products.get(v.product)?.text.nl?.title === name;
    });
    await queueEmpty();
    assert.equal(ecomProductsWithSku(shop.sandbox, sku), 1);
    assert.equal(shop.sandbox.stats().byRoute['POST /products'], 1);
  });

  it('sync-catalog queues the whole catalog for the writer: unchanged costs no write, a linked product deleted in the shop is created again', async () => {
    await queueEmpty();
    const sync = () => stack.client.workflow.execute<typeof ecomCatalogSync>('ecomCatalogSync', {
      workflowId: catalogSyncWorkflowId(shop.connectionId), taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    // The first sync settles whatever earlier tests left (the refused product is tried again).
    await sync();

    shop.sandbox.resetStats();
    const unchanged = await sync();
    assert.equal(unchanged.missing, 0);
    assert.equal(unchanged.reads, 1);
    assert.ok(unchanged.queued >= 5, JSON.stringify(unchanged));
    assert.equal(shop.sandbox.stats().writes, 0, JSON.stringify(shop.sandbox.stats().byRoute));
    assert.deepEqual(Object.keys(shop.sandbox.stats().byRoute), ['GET /products']);

    const sku = uniqueSku('EWGONE');
    await shop.save(simpleProduct(sku));
    await waitFor('the product in the shop', () => ecomVariantBySku(shop.sandbox, sku));
    await queueEmpty();
    await shop.client.products.delete(ecomVariantBySku(shop.sandbox, sku)!.product);
    assert.equal(ecomVariantBySku(shop.sandbox, sku), undefined);
    const again = await runCli(stack, 'sync-catalog', shop.connectionId, '--wait');
    assert.match(again.stdout, /1 deleted in the shop created again/);
    assert.equal(ecomProductsWithSku(shop.sandbox, sku), 1);
    const link = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: await productIdOf(sku) }).whereNull('variant_id').first();
    assert.equal(Number(link.remote_id), ecomVariantBySku(shop.sandbox, sku)!.product);
  });

  it('a new dispatcher signals the writers of rows an earlier process queued and never signalled', async () => {
    const sku = uniqueSku('EWREC');
    await shop.save(simpleProduct(sku));
    await shop.count({ [sku]: 5 });
    await waitFor('the product in the shop with stock 5', () => ecomVariantBySku(shop.sandbox, sku)?.stockLevel === 5);
    await queueEmpty();
    // As if a process had committed a sale and died before signalling: stock moved, row queued, no wake-up.
    const id = await productIdOf(sku);
    await stack.db('inventory').where({ outlet_id: shop.outletId, product_id: id }).update({ quantity: 2 });
    await stack.db('ecom_write_queue').insert({ connection_id: shop.connectionId, product_id: id, stock_only: true, seq: stack.db.raw("nextval('ecom_write_seq')"), reason: 'sale' });
    const restarted = new PushDispatcher(stack.db, stack.client, {
      taskQueue: stack.config.temporal.taskQueue, log: createLogger('error'),
      timing: { settleMs: 100, quietWindowMs: stack.config.pushQuietWindowMs, idleTimeoutMs: stack.config.pushIdleTimeoutMs },
    });
    restarted.start();
    try {
      await waitFor('the queued stock in the shop', () => ecomVariantBySku(shop.sandbox, sku)?.stockLevel === 2);
    } finally {
      await restarted.stop();
    }
  });

  it("a product whose image host fails never holds up the shop's other writes: it waits behind them and is written once the host answers", async () => {
    let imageUp = false;
    const host = http.createServer((_req, res) => {
      if (!imageUp) return void res.writeHead(503).end('down');
      res.writeHead(200, { 'content-type': 'image/png' }).end(png(7));
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', () => r()));
    try {
      const slow = uniqueSku('EIMG');
      const other = uniqueSku('EOTH');
      const slowId = await shop.save(simpleProduct(slow, { images: [{ src: `http://127.0.0.1:${(host.address() as AddressInfo).port}/front.png`, alt: 'front' }] }));
      await waitFor('the product with the failing image recorded as waiting', async () =>
        (await stack.db('push_failures').where({ connection_id: shop.connectionId, product_id: slowId, will_retry: true }).first()) ? true : undefined);
      await shop.save(simpleProduct(other));
      await waitFor('the product queued after it in the shop', () => ecomVariantBySku(shop.sandbox, other) !== undefined);
      assert.ok(await stack.db('ecom_write_queue').where({ connection_id: shop.connectionId, product_id: slowId }).first(), 'still queued, behind the others');

      imageUp = true;
      await retryNow();
      await waitFor('the product with its image in the shop', () => {
        const v = ecomVariantBySku(shop.sandbox, slow);
        return v !== undefined && shop.sandbox.state.imagesOf(v.product).length === 1;
      });
      await queueEmpty();
      assert.equal(ecomProductsWithSku(shop.sandbox, slow), 1);
      assert.equal(await stack.db('push_failures').where({ connection_id: shop.connectionId, product_id: slowId }).first(), undefined);
    } finally {
      await new Promise((r) => host.close(r));
    }
  });
});
