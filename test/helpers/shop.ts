import type { AxiosInstance } from 'axios';
import { apiClient } from './api';
import { startWooSandbox, type WooSandbox, type WooSandboxOptions } from '../../sandbox/woocommerce';
import type { Stack } from '../../stack/start';

export { waitFor } from './wait';

let counter = 0;

export interface TestShop {
  connectionId: string;
  outletId: number;
  otherOutletId: number;
  registerId: number;
  sandbox: WooSandbox;
  api: AxiosInstance;
}

/**
 * A fresh WooCommerce sandbox connected through its own outlet and register. Every other
 * connection is deactivated, so products of this test are pushed only here.
 */
export async function freshShop(stack: Stack, opts: WooSandboxOptions = {}): Promise<TestShop> {
  counter += 1;
  const tag = `${process.pid}-${counter}-${Date.now() % 100000}`;
  const sandbox = await startWooSandbox(opts);
  const { db } = stack;
  const [outlet] = await db('outlets').insert({ name: `Outlet ${tag}` }, ['id']);
  const [other] = await db('outlets').insert({ name: `Other ${tag}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `Register ${tag}` }, ['id']);
  const connectionId = `test-${tag}`;
  await db('connections').update({ active: false });
  await db('connections').insert({ id: connectionId, kind: 'woocommerce', name: `Test ${tag}`, base_url: sandbox.url, register_id: register.id });
  stack.woo.set(connectionId, { baseUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret });
  const api = apiClient(stack);
  return { connectionId, outletId: outlet.id, otherOutletId: other.id, registerId: register.id, sandbox, api };
}

let skuCounter = 0;
export function uniqueSku(prefix = 'T'): string {
  skuCounter += 1;
  return `${prefix}-${process.pid}-${Date.now() % 1_000_000}-${skuCounter}`;
}

export function simpleProduct(sku: string, extra: Record<string, unknown> = {}) {
  return {
    sku, type: 'simple', name: `Product ${sku}`, description: '<p>A <strong>formatted</strong> description</p>',
    brand: 'Acme', upc: '012345678905', retail_price: 19.99, channels: ['in_store', 'online'], ...extra,
  };
}

export function variableProduct(sku: string, sizes = ['S', 'M', 'L', 'XL']) {
  return {
    sku, type: 'variable', name: `Shirt ${sku}`, description: 'A shirt', brand: 'Acme', channels: ['in_store', 'online'],
    attributes: [{ name: 'Size', options: sizes }],
    variants: sizes.map((s, i) => ({ sku: `${sku}-${s}`, retail_price: 20 + i, attributes: [{ name: 'Size', option: s }] })),
  };
}
