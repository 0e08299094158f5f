// An eCom sandbox connected to the test stack as a connection of its own (outlet, register), for
// tests that call the eCom product writer directly.
import type { AxiosInstance } from 'axios';
import { EcomClient } from '../../activities/ecom/client';
import type { EcomConnection } from '../../activities/ecom/registry';
import { ecomClientFor, writeEcomProduct, type EcomWriteOutcome } from '../../activities/ecom/product-writer';
import { type EcomSandbox, type EcomSandboxOptions, startEcomSandbox } from '../../sandbox/ecom';
import type { VariantRow } from '../../sandbox/ecom/model';
import type { Stack } from '../../stack/start';
import { apiClient } from './api';
import { startImageServer, type ImageServer } from './image-server';
import { useForBlock } from './suite-setup';

let counter = 0;

export interface EcomTestShop {
  connectionId: string;
  outletId: number;
  registerId: number;
  /** The connection as the registry holds it (e.g. for a worker process of its own). */
  connection: EcomConnection;
  sandbox: EcomSandbox;
  client: EcomClient;
  api: AxiosInstance;
  /** One push of one product, as the writer workflow makes it. */
  push(productId: number, opts?: { stockOnly?: boolean }): Promise<EcomWriteOutcome>;
  /** Creates or replaces a product through the POS API; returns its id. */
  save(doc: Record<string, unknown>): Promise<number>;
  /** Sets stock levels (SKU -> level) at the shop's outlet by a stock count. */
  count(levels: Record<string, number>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every other connection is deactivated, so the POS's own pushes of these products go nowhere. The
 * connection itself is inactive too (the push dispatcher queues nothing for it: the test's own
 * push() is its only writer), unless `writer` makes it active, written by ecom-writer/<connection>.
 */
export async function freshEcomShop(stack: Stack, opts: EcomSandboxOptions = {}, { writer = false }: { writer?: boolean } = {}): Promise<EcomTestShop> {
  counter += 1;
  const tag = `${process.pid}-${counter}-${Date.now() % 100000}`;
  const sandbox = await startEcomSandbox({ rateLimit: { timeScale: 0.02 }, ...opts });
  const { db } = stack;
  const [outlet] = await db('outlets').insert({ name: `eCom outlet ${tag}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `eCom register ${tag}` }, ['id']);
  const connectionId = `ecom-${tag}`;
  await db('connections').update({ active: false });
  await db('connections').insert({ id: connectionId, kind: 'ecom', name: `eCom ${tag}`, base_url: sandbox.url, register_id: register.id, active: writer });
  const connection: EcomConnection = { id: connectionId, baseUrl: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, language: 'nl', budget: { timeScale: sandbox.timeScale } };
  stack.ecom.set(connection);
  const client = ecomClientFor(stack.ecom, connectionId);
  const api = apiClient(stack);
  return {
    connectionId, outletId: outlet.id, registerId: register.id, connection, sandbox, client, api,
    push: (productId, o = {}) => writeEcomProduct({ db, client, connectionId }, productId, { stockOnly: o.stockOnly ?? false }),
    async save(doc) {
      const res = await api.post('/api/products', doc);
      if (res.status !== 200 && res.status !== 201) throw new Error(`save product: ${res.status} ${JSON.stringify(res.data)}`);
      return res.data.id as number;
    },
    async count(levels) {
      const res = await api.post('/api/stock-counts', { outlet_id: outlet.id, lines: Object.entries(levels).map(([sku, counted]) => ({ sku, counted })) });
      if (res.status !== 201) throw new Error(`stock count: ${res.status} ${JSON.stringify(res.data)}`);
    },
    async close() {
      client.close();
      stack.ecom.delete(connectionId);
      await sandbox.close();
    },
  };
}

/** A fresh eCom shop (freshEcomShop) for the whole block, its stats and faults reset before each test. */
export function useEcomShop(stack: Stack, opts: EcomSandboxOptions = {}): EcomTestShop {
  const shop = useForBlock('the eCom shop', () => freshEcomShop(stack, opts), (s) => s.close());
  beforeEach(() => {
    shop.sandbox.resetStats();
    shop.sandbox.resetFaults();
  });
  return shop;
}

/** The image host of test/helpers/image-server.ts for the whole block. */
export function useImageServer(): ImageServer {
  return useForBlock('the image server', startImageServer, (s) => s.close());
}

/** An eCom product made in the shop (not by the writer): its default variant with this SKU and tracked stock. */
export async function ecomSimpleProduct(shop: EcomTestShop, sku: string): Promise<{ productId: number; variantId: number }> {
  const p = await shop.client.products.create({ title: `eCom ${sku}`, visibility: 'visible' });
  const [v] = await shop.client.variants.list({ product: p.id });
  await shop.client.variants.update(v!.id, { sku, stockTracking: 'enabled', stockLevel: 50, priceIncl: 10 });
  return { productId: p.id, variantId: v!.id };
}

/** An eCom product made in the shop with one variant per title (the default one renamed for the first). */
export async function ecomVariantProduct(shop: EcomTestShop, titles: { title: string; sku: string }[]): Promise<{ productId: number; variantIds: number[] }> {
  const p = await shop.client.products.create({ title: 'eCom shirt', visibility: 'visible' });
  const [first] = await shop.client.variants.list({ product: p.id });
  const ids = [first!.id];
  await shop.client.variants.update(first!.id, { title: titles[0]!.title, sku: titles[0]!.sku, stockTracking: 'enabled', stockLevel: 50, priceIncl: 20 });
  for (const t of titles.slice(1)) {
    ids.push((await shop.client.variants.create({ product: p.id, title: t.title, sku: t.sku, stockTracking: 'enabled', stockLevel: 50, priceIncl: 20 })).id);
  }
  return { productId: p.id, variantIds: ids };
}

/** The shop's variant with this SKU, if there is one. */
export function ecomVariantBySku(sandbox: EcomSandbox, sku: string): VariantRow | undefined {
  return [...sandbox.state.variants.values()].find((v) => v.sku === sku);
}

/** How many shop products have a variant with this SKU (a double create shows as 2). */
export function ecomProductsWithSku(sandbox: EcomSandbox, sku: string): number {
  return new Set([...sandbox.state.variants.values()].filter((v) => v.sku === sku).map((v) => v.product)).size;
}
