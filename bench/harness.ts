import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../stack/config';
import { createLogger } from '../stack/logger';
import { startStack, type Stack } from '../stack/start';
import { freePort } from '../stack/temporal-dev-server';
import { startWooSandbox, type WooSandbox, type WooSandboxOptions } from '../sandbox/woocommerce';
export { seedCatalog } from '../db/seed-generated';

/** A whole stack in a temporary folder, like the tests', for one benchmark run. */
export async function benchStack(quietWindowMs = 1000): Promise<{ stack: Stack; cleanup: () => Promise<void> }> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-bench-'));
  fs.chmodSync(dir, 0o755);
  const config = loadConfig({
    POSSYNC_DATA_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()), TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()), HTTP_PORT: '0', SANDBOX_PORT: '0', LOG_LEVEL: 'error',
    PUSH_QUIET_WINDOW_MS: String(quietWindowMs), TEMPORAL_CLI: process.env.TEMPORAL_CLI, PATH: process.env.PATH,
  });
  const stack = await startStack({ config, log: createLogger('error'), headless: true });
  return {
    stack,
    cleanup: async () => {
      await stack.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface BenchShop {
  connectionId: string;
  outletId: number;
  registerId: number;
  sandbox: WooSandbox;
}

export async function benchShop(stack: Stack, name: string, opts: WooSandboxOptions): Promise<BenchShop> {
  const sandbox = await startWooSandbox(opts);
  const { db } = stack;
  const [outlet] = await db('outlets').insert({ name: `Bench ${name}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `Bench ${name}` }, ['id']);
  await db('connections').update({ active: false });
  // Each scenario syncs only its own catalog: earlier scenarios' products stay in store only.
  await db('products').update({ channels: ['in_store'] });
  await db('connections').insert({ id: `bench-${name}`, kind: 'woocommerce', name, base_url: sandbox.url, register_id: register.id });
  stack.woo.set(`bench-${name}`, { baseUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret });
  return { connectionId: `bench-${name}`, outletId: outlet.id, registerId: register.id, sandbox };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function report(scenario: string, figures: Record<string, unknown>): void {
  console.log(JSON.stringify({ scenario, ...figures }));
}
