import type { AxiosInstance } from 'axios';
import { EcomClient } from '../../activities/ecom/client';
import type { EcomConnection } from '../../activities/ecom/registry';
import { startEcomSandbox, type EcomSandbox, type EcomSandboxOptions } from '../../sandbox/ecom';
import type { Stack } from '../../stack/start';
import { apiClient } from './api';

export interface EcomTestShop {
  connectionId: string;
  outletId: number;
  registerId: number;
  sandbox: EcomSandbox;
  /** The connection as the worker's registry holds it. */
  connection: EcomConnection;
  /** A client for the test's setup calls (the shop key's budget, shared with the activities of this process). */
  client: EcomClient;
  api: AxiosInstance;
}

let counter = 0;

/**
 * A fresh eCom sandbox connected as kind 'ecom' through its own outlet and register, registered in
 * the stack's EcomRegistry (what the connections file will do). Its windows run at `timeScale`
 * (default 0.05: the 5-minute window lasts 15 s), and the connection's budget knows it.
 */
export async function freshEcomShop(stack: Stack, opts: EcomSandboxOptions = {}): Promise<EcomTestShop> {
  counter += 1;
  const tag = `${process.pid}-${counter}-${Date.now() % 100000}`;
  const timeScale = opts.rateLimit?.timeScale ?? 0.05;
  const sandbox = await startEcomSandbox({ webhookDelayMs: 0, ...opts, rateLimit: { ...opts.rateLimit, timeScale } });
  const { db } = stack;
  const [outlet] = await db('outlets').insert({ name: `eCom outlet ${tag}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `eCom register ${tag}` }, ['id']);
  const connectionId = `ecom-${tag}`;
  await db('connections').insert({
    id: connectionId, kind: 'ecom', name: `eCom ${tag}`, base_url: sandbox.url, register_id: register.id, start_date: new Date(Date.now() - 5_000),
  });
  const connection: EcomConnection = { id: connectionId, baseUrl: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, language: sandbox.languages[0]!, budget: { timeScale } };
  stack.ecom.set(connection);
  const client = new EcomClient(connection);
  return { connectionId, outletId: outlet.id, registerId: register.id, sandbox, connection, client, api: apiClient(stack) };
}

/** An eCom product with its default variant given this SKU and tracked stock; returns the ids. */
export async function ecomSimpleProduct(shop: EcomTestShop, sku: string): Promise<{ productId: number; variantId: number }> {
  const p = await shop.client.products.create({ title: `eCom ${sku}`, visibility: 'visible' });
  const [v] = await shop.client.variants.list({ product: p.id });
  await shop.client.variants.update(v!.id, { sku, stockTracking: 'enabled', stockLevel: 50, priceIncl: 10 });
  return { productId: p.id, variantId: v!.id };
}

/** An eCom product with one variant per title (the default one renamed for the first). */
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
