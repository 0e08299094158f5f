import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { EcomApiError } from '../activities/ecom/errors';
import { freshEcomShop, useEcomShop, useImageServer } from './helpers/ecom-shop';
import { simpleProduct, uniqueSku, variableProduct, waitFor } from './helpers/shop';
import { TEST_HANG_GUARD_MS, useTestStack } from './helpers/suite-setup';

async function fault(p: Promise<unknown>): Promise<EcomApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof EcomApiError, String(err));
    return err;
  }
  assert.fail('expected the push to throw (a fault the writer retries)');
}

describe('eCom product writer: the creation saga (lost answers, refusals, killed worker, concurrent writers)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useEcomShop(stack);
  const images = useImageServer();

  const state = () => shop.sandbox.state;
  const remoteWithSku = (sku: string) => [...state().variants.values()].filter((v) => v.sku === sku);
  const productsWithVariantSku = (sku: string) => new Set(remoteWithSku(sku).map((v) => v.product));
  const creation = (id: number) => stack.db('ecom_creations').where({ connection_id: shop.connectionId, product_id: id }).first();

  it('a lost answer on the product create (applied, answered 500) leaves exactly one product after the retry', async () => {
    const sku = uniqueSku('SL');
    const id = await shop.save(simpleProduct(sku));
    shop.sandbox.setFaults({ rules: [{ method: 'POST', path: /^\/products$/, status: 500, applyFirst: true, times: 1 }] });
    const before = state().products.size;
    const err = await fault(shop.push(id));
    assert.equal(err.retryable, true);
    assert.equal(state().products.size, before + 1, 'the lost create landed');
    const out = await shop.push(id);
    assert.equal(out.status, 'created', JSON.stringify(out));
    assert.equal(state().products.size, before + 1, 'found again by its marker, not created twice');
    assert.equal(shop.sandbox.stats().byRoute['POST /products'], 1);
    assert.equal(productsWithVariantSku(sku).size, 1);
    assert.equal((await creation(id)).state, 'done');
  });

  it('lost answers on a variant create and an image upload: the retry finds them (by SKU, by file) instead of creating twice', async () => {
    const sku = uniqueSku('SV');
    const src = `${images.url}/ok-${sku}.png`;
    const id = await shop.save({ ...variableProduct(sku, ['S', 'M', 'L']), images: [{ src }] });
    shop.sandbox.setFaults({ rules: [{ method: 'POST', path: /^\/variants$/, status: 502, applyFirst: true, times: 1 }] });
    await fault(shop.push(id));
    shop.sandbox.setFaults({ rules: [{ method: 'POST', path: /^\/products\/\d+\/images$/, status: 500, applyFirst: true, times: 1 }] });
    await fault(shop.push(id));
    const out = await shop.push(id);
    assert.equal(out.status, 'created', JSON.stringify(out));
    const [remote] = [...productsWithVariantSku(`${sku}-S`)];
    assert.deepEqual(state().variantsOf(remote!).map((v) => v.sku), [`${sku}-S`, `${sku}-M`, `${sku}-L`]);
    assert.equal(state().imagesOf(remote!).length, 1);
    assert.equal(shop.sandbox.stats().byRoute['POST /variants'], 2, 'M once (its answer lost, then found by SKU), L once');
    assert.equal(shop.sandbox.stats().byRoute['POST /products/{id}/images'], 1);
  });

  it('a variant create refused for good undoes what this run created (the product) and reports the shop\'s words', async () => {
    const sku = uniqueSku('SR');
    const id = await shop.save(variableProduct(sku, ['S', 'M']));
    const before = state().products.size;
    shop.sandbox.setFaults({ rules: [{ method: 'POST', path: /^\/variants$/, status: 400, body: { error: { code: 400, method: 'POST', request: '/variants', message: 'Invalid variant: test refusal' } } }] });
    const out = await shop.push(id);
    assert.equal(out.status, 'refused');
    assert.match(out.message!, /Invalid variant: test refusal/);
    assert.equal(out.failureType, 'EcomApiError.validation');
    assert.equal(state().products.size, before, 'the product this run created is deleted');
    assert.equal(shop.sandbox.stats().byRoute['DELETE /products/{id}'], 1);
    assert.equal((await stack.db('ecom_objects').where({ connection_id: shop.connectionId, product_id: id })).length, 0);
    assert.equal((await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: id })).length, 0);
    assert.equal((await creation(id)).state, 'undone');
    // Once the shop accepts it, the next push creates it (a run of its own).
    shop.sandbox.resetFaults();
    assert.equal((await shop.push(id)).status, 'created');
    assert.equal(productsWithVariantSku(`${sku}-M`).size, 1);
  });

  it('an undo that fails is reported with the refusal; the next push resumes the run and creates nothing twice', async () => {
    const sku = uniqueSku('SU');
    const id = await shop.save(variableProduct(sku, ['S', 'M']));
    shop.sandbox.setFaults({ rules: [
      { method: 'POST', path: /^\/variants$/, status: 400, times: 1, body: { error: { code: 400, method: 'POST', request: '/variants', message: 'Invalid variant: refused once' } } },
      { method: 'DELETE', path: /^\/products\/\d+$/, status: 500, times: 1 },
    ] });
    const out = await shop.push(id);
    assert.equal(out.status, 'refused');
    assert.match(out.message!, /Invalid variant: refused once; undoing this run's creates failed: .*HTTP 500/);
    assert.equal(productsWithVariantSku(`${sku}-S`).size, 1, 'the product the undo could not delete is still there');
    assert.equal((await creation(id)).state, 'running');
    const next = await shop.push(id);
    assert.equal(next.status, 'created');
    assert.equal(shop.sandbox.stats().byRoute['POST /products'], 1);
    assert.equal(productsWithVariantSku(`${sku}-M`).size, 1);
  });

  it('a push that dies after the product create resumes on the next call and creates nothing twice', async () => {
    const sku = uniqueSku('SK');
    const id = await shop.save(variableProduct(sku, ['S', 'M']));
    // The step after the product create (reading its default variant) fails: the push ends there.
    shop.sandbox.setFaults({ rules: [{ method: 'GET', path: /^\/variants$/, status: 503, times: 1 }] });
    await fault(shop.push(id));
    const run = (await creation(id)).run_key;
    const out = await shop.push(id);
    assert.equal(out.status, 'created');
    assert.equal((await creation(id)).run_key, run, 'the same run, resumed');
    assert.equal(shop.sandbox.stats().byRoute['POST /products'], 1);
    assert.equal(shop.sandbox.stats().byRoute['POST /variants'], 1, 'the default variant became S; only M was created');
    assert.equal(productsWithVariantSku(`${sku}-S`).size, 1);
  });

  it('two writers of the same product at once (two clients, as two workers) create one product', async () => {
    const sku = uniqueSku('SC');
    const id = await shop.save(variableProduct(sku, ['S', 'M']));
    const { EcomClient } = await import('../activities/ecom/client');
    const { writeEcomProduct } = await import('../activities/ecom/product-writer');
    const other = new EcomClient({ baseUrl: shop.sandbox.url, apiKey: shop.sandbox.apiKey, apiSecret: shop.sandbox.apiSecret, language: 'nl', budget: { timeScale: shop.sandbox.timeScale } });
    try {
      const outs = await Promise.all([
        shop.push(id), writeEcomProduct({ db: stack.db, client: other, connectionId: shop.connectionId }, id, { stockOnly: false }), shop.push(id),
      ]);
      assert.deepEqual(outs.map((o) => o.status).sort(), ['created', 'unchanged', 'unchanged']);
      assert.equal(shop.sandbox.stats().byRoute['POST /products'], 1);
      assert.equal(productsWithVariantSku(`${sku}-M`).size, 1);
      assert.equal(remoteWithSku(`${sku}-M`).length, 1);
    } finally {
      other.close();
    }
  });

  it('a worker process killed mid-creation: the next push resumes its run, one product, nothing created twice', async () => {
    // A shop whose 5-minute window allows one request: the push in the child process creates the
    // product, then waits for the window, and is killed there.
    const slow = await freshEcomShop(stack, { rateLimit: { limits: [1, 3000, 12000], timeScale: 1 } });
    try {
      const sku = uniqueSku('SP');
      const id = await slow.save(simpleProduct(sku, { brand: '' }));
      const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, 'helpers', 'ecom-push-process.ts')], {
        env: {
          PATH: process.env.PATH, TS_NODE_TRANSPILE_ONLY: '1', DATABASE_URL: stack.databaseUrl, ECOM_CONNECTION_ID: slow.connectionId, ECOM_URL: slow.sandbox.url,
          ECOM_KEY: slow.sandbox.apiKey, ECOM_SECRET: slow.sandbox.apiSecret, ECOM_TIME_SCALE: '1', PRODUCT_ID: String(id),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await waitFor('the child push to create the product', () => slow.sandbox.state.products.size === 1 || child.exitCode !== null);
      assert.equal(child.exitCode, null, `the child ended before it was killed:\n${output}`);
      const recorded = await waitFor('the product create to be recorded', async () =>
        (await stack.db('ecom_objects').where({ connection_id: slow.connectionId, product_id: id, kind: 'product' }).whereNotNull('remote_id').first()) ?? false);
      child.kill('SIGKILL');
      await exited;
      assert.equal(slow.sandbox.state.variantsOf(Number(recorded.remote_id))[0]!.sku, '', 'killed before the default variant was written');
      slow.sandbox.setRateLimit({ timeScale: 1 });
      const out = await slow.push(id);
      assert.equal(out.status, 'created', JSON.stringify(out));
      assert.equal(slow.sandbox.state.products.size, 1);
      const [variant] = slow.sandbox.state.variantsOf(Number(recorded.remote_id));
      assert.deepEqual([variant!.sku, slow.sandbox.state.variantsOf(Number(recorded.remote_id)).length], [sku, 1]);
      assert.equal(out.writes, 1, 'only the default variant was left to write');
    } finally {
      await slow.close();
    }
  });
});
