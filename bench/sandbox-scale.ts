import { isBatchItemError } from '../activities/woocommerce/batch';
import { WooClient } from '../activities/woocommerce/client';
import { startWooSandbox, type WooSandbox } from '../sandbox/woocommerce';
import { report } from './harness';

/**
 * The sandbox must answer a large store as cheaply as a small one: it indexes its catalog and
 * orders instead of scanning them per request. Compares the CPU time per request (client and
 * sandbox share this process) of the same calls against 10 products and 10 orders, and against
 * 10,000 products, 8,000 variations and 20,000 orders.
 */
export async function sandboxScale(): Promise<void> {
  const small = await measure({ simple: 10, variable: 0, orders: 10 });
  const large = await measure({ simple: 9_200, variable: 800, orders: 20_000 });
  const calls = Object.keys(large.perRequestMs) as (keyof typeof large.perRequestMs)[];
  const extra = Object.fromEntries(calls.map((c) => [c, round(large.perRequestMs[c] - small.perRequestMs[c])]));
  const ratios = Object.fromEntries(calls.map((c) => [c, round(large.perRequestMs[c] / small.perRequestMs[c])]));
  report('sandbox-scale', {
    store: { products: 10_000, variations: 8_000, orders: 20_000 },
    seedOrdersSeconds: large.seedSeconds,
    perRequestMsSmallStore: small.perRequestMs,
    perRequestMsLargeStore: large.perRequestMs,
    extraMsLargeStore: extra,
    ratio: ratios,
    target: 'a few ms extra per request at most (sorting or rendering the whole store per request would cost tens); 20,000 orders seeded in < 2 s',
  });
}

async function measure(store: { simple: number; variable: number; orders: number }) {
  const sandbox = await startWooSandbox({ concurrency: 8 });
  const client = new WooClient({ baseUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret });
  try {
    const { variationSkus, simpleIds } = await fill(client, store);
    const seedStarted = process.hrtime.bigint();
    sandbox.seedOrders({ count: store.orders, createdBefore: new Date(), linesPerOrder: [2, 4], seed: 11 });
    const seedSeconds = round(Number(process.hrtime.bigint() - seedStarted) / 1e9);
    const lookups = variationSkus.length > 0 ? variationSkus : await skusOf(sandbox);
    for (let i = 0; i < 20; i++) await client.listProducts({ per_page: 10, page: 1 + (i % 3) }); // warm-up
    const perRequestMs = {
      productPageOf10: await cpuPerCall(50, (i) => client.listProducts({ per_page: 10, page: 1 + (i % 50) })),
      skuLookup: await cpuPerCall(200, (i) => client.findBySkus([lookups[i % lookups.length]!])),
      stockUpdate: await cpuPerCall(200, (i) => client.updateProduct(simpleIds[i % simpleIds.length]!, { stock_quantity: i })),
      outOfStockPageOf10: await cpuPerCall(50, () => client.listProducts({ per_page: 10, stock_status: 'outofstock' })),
      orderPageOf10: await cpuPerCall(50, (i) => client.listOrders({ per_page: 10, page: 1 + (i % 5) })),
      ordersModifiedAfter: await cpuPerCall(50, () =>
        client.listOrders({ per_page: 10, orderby: 'modified', order: 'asc', modified_after: new Date(Date.now() - 86_400_000).toISOString().slice(0, 19), dates_are_gmt: true }),
      ),
    };
    return { seedSeconds, perRequestMs };
  } finally {
    client.close();
    await sandbox.close();
  }
}

async function fill(client: WooClient, store: { simple: number; variable: number }) {
  const simpleIds: number[] = [];
  const variationSkus: string[] = [];
  const all = [
    ...Array.from({ length: store.variable }, (_, n) => ({ name: `Variable ${n}`, type: 'variable' as const, sku: `V-${n}`, attributes: [{ name: 'Size', variation: true, options: sizes() }] })),
    ...Array.from({ length: store.simple }, (_, n) => ({ name: `Simple ${n}`, sku: `S-${n}`, regular_price: '9.99', manage_stock: true, stock_quantity: n % 7 })),
  ];
  for (let i = 0; i < all.length; i += 100) {
    const res = await client.batchProducts({ create: all.slice(i, i + 100) });
    for (const p of res.create ?? []) {
      if (isBatchItemError(p)) throw new Error(`the sandbox refused a product: ${p.error.message}`);
      if (p.type === 'variable') {
        const create = sizes().map((size) => ({ sku: `${p.sku}-${size}`, regular_price: '19.00', manage_stock: true, stock_quantity: Number(size) - 1, attributes: [{ name: 'Size', option: size }] }));
        await client.batchVariations(p.id, { create });
        variationSkus.push(...create.map((v) => v.sku));
      } else {
        simpleIds.push(p.id);
      }
    }
  }
  return { simpleIds, variationSkus };
}

async function skusOf(sandbox: WooSandbox): Promise<string[]> {
  return sandbox.state.products().map((p: { sku: string }) => p.sku);
}

const sizes = () => ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

async function cpuPerCall(n: number, call: (i: number) => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  for (let i = 0; i < n; i++) await call(i);
  const used = process.cpuUsage(started);
  return round((used.user + used.system) / 1000 / n);
}

const round = (x: number) => Math.round(x * 100) / 100;
