import axios from 'axios';
import { benchShop, benchStack, report } from './harness';
import { readLocalAdminToken } from '../server/auth/local-admin-token';

/**
 * Issue 7 point 5, measured: a store that answers every request with a 5xx for N minutes
 * (`npx ts-node bench/store-outage.ts 15`) while sales, an edit and a new product happen. Reports
 * the workflows that failed (target 0) and the time from the store's return to a converged shop.
 * A measurement, not a test: it reports and never fails.
 */
async function main(): Promise<void> {
  const minutes = Number(process.argv[2] ?? 15);
  const { stack, cleanup } = await benchStack(1000);
  const shop = await benchShop(stack, `outage${Date.now() % 100000}`, {});
  try {
    const api = axios.create({ baseURL: stack.httpUrl, validateStatus: () => true, headers: { authorization: `Bearer ${readLocalAdminToken(stack.config.dataDir)}` } });
    const skus = Array.from({ length: 20 }, (_, i) => `OUT-${Date.now() % 100000}-${i}`);
    for (const sku of skus) {
      const r = await api.post('/api/products', { sku, type: 'simple', name: `Outage ${sku}`, retail_price: 10, channels: ['in_store', 'online'] });
      if (r.status !== 201) throw new Error(JSON.stringify(r.data));
    }
    await api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: skus.map((sku) => ({ sku, counted: 500 })) });
    await until(() => skus.every((s) => shop.sandbox.state.findBySku(s)?.stock_quantity === 500), 120_000);

    shop.sandbox.setFaults({ serverErrorRate: 1 });
    const outageStart = Date.now();
    const sold = new Map<string, number>();
    let maxAttempts = 0;
    const created = `OUT-NEW-${Date.now() % 100000}`;
    for (let tick = 0; Date.now() - outageStart < minutes * 60_000; tick++) {
      const sku = skus[tick % skus.length]!;
      await api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] });
      sold.set(sku, (sold.get(sku) ?? 0) + 1);
      if (tick === 0) await api.post('/api/products', { sku: skus[0], type: 'simple', name: 'Renamed during the outage', retail_price: 10, channels: ['in_store', 'online'] });
      if (tick === 1) await api.post('/api/products', { sku: created, type: 'simple', name: 'Created during the outage', retail_price: 10, channels: ['in_store', 'online'] });
      const failing = (await api.get('/api/sync-failures', { params: { limit: 500 } })).data.failing as { attempts: number }[];
      maxAttempts = Math.max(maxAttempts, ...failing.map((f) => f.attempts));
      await new Promise((r) => setTimeout(r, 20_000));
    }
    const failingAtEnd = (await api.get('/api/sync-failures', { params: { limit: 500 } })).data.failing.length;
    shop.sandbox.resetFaults();
    const back = Date.now();
    await until(() =>
      skus.every((s) => shop.sandbox.state.findBySku(s)?.stock_quantity === 500 - (sold.get(s) ?? 0)) &&
      shop.sandbox.state.findBySku(skus[0]!)?.name === 'Renamed during the outage' &&
      shop.sandbox.state.findBySku(created) !== undefined, 30 * 60_000);
    const convergeSeconds = (Date.now() - back) / 1000;
    let failedWorkflows = 0;
    for await (const _ of stack.client.workflow.list({ query: 'ExecutionStatus = "Failed"' })) failedWorkflows += 1;
    const compensations = (await stack.db('sync_log').where({ status: 'compensated' })).length;
    report('store-outage', {
      outage_minutes: minutes, sales: [...sold.values()].reduce((a, b) => a + b, 0), failing_products_during_outage: failingAtEnd,
      max_attempts_seen: maxAttempts, converge_seconds_after_store_returned: convergeSeconds, failed_workflows: failedWorkflows, compensations,
    });
  } finally {
    await shop.sandbox.close();
    await cleanup();
  }
}

async function until(pred: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error('did not converge');
    await new Promise((r) => setTimeout(r, 250));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
