import assert from 'node:assert/strict';
import { EcomClient } from '../../activities/ecom/client';
import { RequestBudget, budgetFor } from '../../activities/ecom/request-budget';
import { useEcomSandbox } from '../sandbox/helpers/ecom';

const SCALE = 0.02; // 5 minutes = 6 s, one API second = 20 ms

describe('eCom request budget against the sandbox', () => {
  const sandbox = useEcomSandbox();

  function client(budget = new RequestBudget({ timeScale: SCALE })): EcomClient {
    return new EcomClient({ baseUrl: sandbox().url, apiKey: sandbox().apiKey, apiSecret: sandbox().apiSecret, language: 'nl', ownBudget: budget });
  }

  for (const mode of ['fixed', 'sliding'] as const) {
    it(`a burst larger than the 5-minute window: zero 429s, ≥ 90% of the window used (${mode} windows)`, async function () {
      this.timeout(120_000);
      sandbox().setRateLimit({ timeScale: SCALE, mode });
      const budget = new RequestBudget({ timeScale: SCALE });
      const c = client(budget);
      const N = 360;
      const counts = await Promise.all(Array.from({ length: N }, () => c.products.count()));
      assert.equal(counts.length, N);
      const stats = sandbox().stats();
      assert.equal(stats.rateLimited, 0, 'no request was refused');
      assert.equal(stats.requests, N, 'no request was retried');
      assert.ok(stats.peakPerSecond <= 20);
      const view = budget.view();
      assert.equal(view.rateLimited, 0);
      // The windows are counted from the burst's start: the first 5 minutes must carry ≥ 90% of 300.
      const [first] = stats.fiveMinuteWindows;
      assert.ok(first!.used >= 270, `first window used ${first!.used} of 300`);
      c.close();
    });
  }

  it('sends stock writes before catalog edits that queued earlier', async function () {
    this.timeout(60_000);
    sandbox().setRateLimit({ timeScale: SCALE, limits: [12, 3000, 12000] });
    const budget = new RequestBudget({ timeScale: SCALE });
    const c = client(budget);
    const p = await c.products.create({ title: 'Queue' });
    const [v] = await c.variants.list({ product: p.id });
    while ((budget.view().windows[0]?.remaining ?? 1) > 0) await c.products.count();
    const order: string[] = [];
    const catalog = [1, 2, 3].map((i) => c.products.update(p.id, { title: `Queue ${i}` }, 'catalog').then(() => order.push(`catalog${i}`)));
    const stock = [1, 2, 3].map((i) => c.variants.update(v!.id, { stockLevel: i, stockTracking: 'enabled' }, 'stock').then(() => order.push(`stock${i}`)));
    assert.deepEqual(budget.view().backlog, { stock: 3, orders: 0, catalog: 3, sync: 0 });
    await Promise.all([...catalog, ...stock]);
    assert.deepEqual(order.slice(0, 3).sort(), ['stock1', 'stock2', 'stock3']);
    assert.equal(sandbox().stats().rateLimited, 0);
    c.close();
  });

  it('is shared by every client of the key in a process: two clients bursting together get no 429', async function () {
    this.timeout(60_000);
    sandbox().setRateLimit({ timeScale: SCALE, limits: [60, 3000, 12000] });
    const shared = { baseUrl: sandbox().url, apiKey: sandbox().apiKey, apiSecret: sandbox().apiSecret, language: 'nl', budget: { timeScale: SCALE } };
    const a = new EcomClient(shared);
    const b = new EcomClient(shared);
    assert.equal(a.budget, b.budget);
    await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? a : b).products.count()));
    assert.equal(sandbox().stats().rateLimited, 0);
    assert.ok(sandbox().stats().fiveMinuteWindows[0]!.used >= 54);
    a.close();
    b.close();
  });

  it('is one budget per shop key in a process, named without the secret', () => {
    const a = budgetFor('http://127.0.0.1:1', 'k'.repeat(32));
    const b = budgetFor('http://127.0.0.1:1', 'k'.repeat(32));
    const other = budgetFor('http://127.0.0.1:1', 'j'.repeat(32));
    assert.equal(a, b);
    assert.notEqual(a, other);
  });
});
