import type { AxiosInstance } from 'axios';
import { startEcomSandbox, type EcomSandbox, type EcomSandboxOptions } from '../../sandbox/ecom';
import type { VariantRow } from '../../sandbox/ecom/model';
import type { Stack } from '../../stack/start';
import { apiClient } from './api';

let counter = 0;

export interface TestEcomShop {
  connectionId: string;
  outletId: number;
  registerId: number;
  sandbox: EcomSandbox;
  api: AxiosInstance;
}

/**
 * A fresh Lightspeed eCom sandbox connected through its own outlet and register, registered in the
 * stack's worker. Every other connection is deactivated, so the products of the test go only here.
 * `baseUrl` puts something (a proxy) in front of the sandbox.
 */
export async function freshEcomShop(stack: Stack, opts: EcomSandboxOptions = {}): Promise<TestEcomShop> {
  counter += 1;
  const tag = `${process.pid}-${counter}-${Date.now() % 100000}`;
  const sandbox = await startEcomSandbox(opts);
  const { db } = stack;
  const [outlet] = await db('outlets').insert({ name: `eCom outlet ${tag}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `eCom register ${tag}` }, ['id']);
  const connectionId = `ecom-${tag}`;
  await db('connections').update({ active: false });
  await db('connections').insert({ id: connectionId, kind: 'ecom', name: `eCom ${tag}`, base_url: sandbox.url, register_id: register.id, settings: { language: 'nl' } });
  stack.ecom.set({ id: connectionId, baseUrl: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, language: 'nl', budget: { timeScale: sandbox.timeScale } });
  return { connectionId, outletId: outlet.id, registerId: register.id, sandbox, api: apiClient(stack) };
}

/** The shop's variant with this SKU, if there is one. */
export function ecomVariantBySku(sandbox: EcomSandbox, sku: string): VariantRow | undefined {
  return [...sandbox.state.variants.values()].find((v) => v.sku === sku);
}

/** How many shop products have a variant with this SKU (a double create shows as 2). */
export function ecomProductsWithSku(sandbox: EcomSandbox, sku: string): number {
  return new Set([...sandbox.state.variants.values()].filter((v) => v.sku === sku).map((v) => v.product)).size;
}
