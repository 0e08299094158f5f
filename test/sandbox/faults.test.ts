import assert from 'node:assert/strict';
import { createProduct, useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

describe('WooCommerce sandbox: injected faults', () => {
  const sandbox = useSandbox();

  it('answers 500/502/503 without applying the request', async () => {
    sandbox().setFaults({ serverErrorRate: 1 });
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const res = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: `x${i}` } });
      seen.add(res.status);
      assert.ok([500, 502, 503].includes(res.status));
      assert.equal(res.body.data.status, res.status);
    }
    assert.ok(seen.size > 1, 'the status is picked at random');
    assert.deepEqual(sandbox().state.products(), []);
    assert.equal(sandbox().stats().faultsInjected, 20);
  });

  it('answers 429 with Retry-After and a JSON error, without applying the request', async () => {
    sandbox().setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const res = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: 'x' } });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(res.body.code, 'rest_too_many_requests');
    assert.deepEqual(sandbox().state.products(), []);
    sandbox().resetFaults();
    assert.equal((await woo(sandbox(), { path: '/products' })).status, 200);
  });

  it('applies the write and then answers 500 on a lost response', async () => {
    sandbox().setFaults({ lostResponseRate: 1 });
    const res = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: 'Applied', sku: 'LOST-1' } });
    assert.equal(res.status, 500);
    assert.equal(sandbox().state.findBySku('LOST-1').name, 'Applied');
    const read = await woo(sandbox(), { path: '/products' });
    assert.equal(read.status, 200, 'reads are not affected');
  });

  it('applies deterministic rules a limited number of times, before the random faults', async () => {
    const p = await createProduct(sandbox(), { name: 'A' });
    sandbox().setFaults({
      rules: [
        { method: 'POST', path: '/products/batch', status: 503, times: 2, retryAfterSeconds: 3 },
        { path: /^\/products\/\d+$/, method: 'PUT', status: 500, applyFirst: true, times: 1 },
      ],
    });
    const body = { update: [{ id: p.id, name: 'B' }] };
    const first = await woo(sandbox(), { method: 'POST', path: '/products/batch', body });
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '3');
    assert.equal((await woo(sandbox(), { method: 'POST', path: '/products/batch', body })).status, 503);
    assert.equal(sandbox().state.product(p.id).name, 'A');
    assert.equal((await woo(sandbox(), { method: 'POST', path: '/products/batch', body })).status, 200);
    assert.equal(sandbox().state.product(p.id).name, 'B');
    const lost = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { name: 'C' } });
    assert.equal(lost.status, 500);
    assert.equal(sandbox().state.product(p.id).name, 'C');
    assert.equal((await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { name: 'D' } })).status, 200);
    sandbox().setFaults({ rules: [{ path: '/products', status: 400, body: { code: 'custom', message: 'm', data: { status: 400 } } }] });
    const custom = await woo(sandbox(), { path: '/products' });
    assert.deepEqual([custom.status, custom.body.code], [400, 'custom']);
  });

  it('never answers a hung request: the client times out', async () => {
    sandbox().setFaults({ hangRate: 1 });
    const started = Date.now();
    await assert.rejects(woo(sandbox(), { path: '/products', timeoutMs: 300 }), /aborted|timeout/i);
    assert.ok(Date.now() - started >= 280);
    sandbox().setFaults({ hangRate: 0 });
    assert.equal((await woo(sandbox(), { path: '/products' })).status, 200);
  });

  it('keeps other settings when setFaults gets only some keys', async () => {
    sandbox().setFaults({ rateLimitRate: 1, retryAfterSeconds: 9 });
    sandbox().setFaults({});
    sandbox().setFaults({ serverErrorRate: 0 });
    const res = await woo(sandbox(), { path: '/products' });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '9');
  });
});
