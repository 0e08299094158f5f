import assert from 'node:assert/strict';
import { useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

describe('WooCommerce sandbox: latency and concurrency', () => {
  const sandbox = useSandbox();

  // The bounds below tell the behaviours apart (a limit of 2 vs none, parallel vs serial, charged
  // vs free) by a wide margin, so a busy machine cannot flip them.
  it('serves at most `concurrency` requests at once: 8 requests of 50 ms on 2 workers take >= 200 ms', async () => {
    sandbox().setConcurrency(2);
    sandbox().setLatency({ perRequestMs: 50 });
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: 8 }, () => woo(sandbox(), { path: '/products' })));
    const elapsed = Date.now() - started;
    assert.ok(replies.every((r) => r.status === 200));
    assert.ok(elapsed >= 195, `took ${elapsed} ms`);
  });

  it('runs requests in parallel up to the limit: 8 requests of 1 s on 8 workers take far less than 8 s', async () => {
    sandbox().setConcurrency(8);
    sandbox().setLatency({ perRequestMs: 1000 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, () => woo(sandbox(), { path: '/products' })));
    const elapsed = Date.now() - started;
    // Two at a time would take 4 s: the bound sits between parallel (1 s) and that.
    assert.ok(elapsed >= 995 && elapsed < 3000, `took ${elapsed} ms`);
  });

  it('charges perObjectMs for each object written, batch items included; reads cost none', async () => {
    sandbox().setLatency({ perObjectMs: 150 });
    let started = Date.now();
    await woo(sandbox(), { method: 'POST', path: '/products/batch', body: { create: Array.from({ length: 20 }, (_, i) => ({ name: `n${i}` })) } });
    assert.ok(Date.now() - started >= 2995);
    started = Date.now();
    await woo(sandbox(), { path: '/products', query: { per_page: 20 } });
    assert.ok(Date.now() - started < 1500, 'a read of 20 products is not charged 20 × 150 ms');
  });
});
