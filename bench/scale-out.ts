import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import axios from 'axios';
import type { Db } from '../db/connection';
import { seedCatalog } from '../db/seed-generated';
import { startWooSandbox } from '../sandbox/woocommerce';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import { startCluster } from './cluster';
import { runTills } from './tills';

export interface ScaleOutPlan {
  apis: number;
  workers: number;
  sales: number;
  products: number;
  /** The storm lasts about this long. */
  seconds: number;
  /** Sandbox latency per request. */
  perRequestMs: number;
  /** Gives up waiting for the shop after this long past the storm. */
  convergeTimeoutMs: number;
  /** Product edits (name changes) during the storm: each is pushed by its product's own workflow, beside the batched sales. */
  edits: number;
  /** SIGKILL the first worker this long into the storm: the others take its work over. */
  killFirstWorkerAfterMs?: number;
}

export interface ScaleOutInfra {
  db: Db;
  client: Client;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  workflowBundle: string;
}

export interface ScaleOutFigures {
  apis: number;
  workers: number;
  products: number;
  sales: number;
  failed_sales: number;
  sales_per_api: number[];
  edits: number;
  killed_worker: boolean;
  storm_ms: number;
  sales_per_second: number;
  /** From the last sale's answer until every shop stock equals the POS stock. */
  converge_ms: number;
  final_stock_exact: boolean;
  products_off: number;
  /** Writes of a product that reached the shop while another write of it was in flight. */
  overlapping_writes: number;
  shop_requests: number;
  /** Shop requests each worker sent (from its /metrics; null for a killed worker). */
  shop_requests_per_worker: (number | null)[];
  push_lag_seconds: { samples: number; mean: number };
}

/**
 * Issue 9 "Scale out": N API and N worker processes on one PostgreSQL and one Temporal server,
 * a storm of sales spread over the APIs, then the shop's stock compared with the POS, and whether
 * any product was written by two writers at once (the sandbox counts overlapping writes).
 */
export async function runScaleOut(infra: ScaleOutInfra, plan: ScaleOutPlan): Promise<ScaleOutFigures> {
  const { db } = infra;
  const sandbox = await startWooSandbox({ latency: { perRequestMs: plan.perRequestMs }, concurrency: 8 });
  const tag = `${process.pid}-${Date.now() % 100000}`;
  const connectionId = `scale-${tag}`;
  const [outlet] = await db('outlets').insert({ name: `Scale ${tag}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `Scale ${tag}` }, ['id']);
  await db('connections').update({ active: false });
  await db('connections').insert({ id: connectionId, kind: 'woocommerce', name: `Scale ${tag}`, base_url: sandbox.url, register_id: register.id });
  const prefix = `SCALE${tag.replace('-', '')}`;
  const { productIds } = await seedCatalog(db, { prefix, simple: plan.products, variable: 0, variations: 0, outletId: outlet.id });
  // The API processes take an admin token from their environment, as an operator would give them one.
  const token = crypto.randomBytes(24).toString('hex');
  const cluster = await startCluster({
    apis: plan.apis, workers: plan.workers, databaseUrl: infra.databaseUrl, temporalAddress: infra.temporalAddress, taskQueue: infra.taskQueue,
    workflowBundle: infra.workflowBundle, shop: { connectionId, url: sandbox.url, key: sandbox.consumerKey, secret: sandbox.consumerSecret },
    env: { POSSYNC_ADMIN_TOKEN: token },
  });
  try {
    await infra.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: catalogSyncWorkflowId(connectionId), taskQueue: infra.taskQueue, args: [{ connectionId }],
    });
    const products: { id: number; sku: string }[] = await db('products').whereIn('id', productIds).select('id', 'sku');
    const remoteOf = new Map<string, number>(sandbox.state.products().map((p: { sku: string; id: number }) => [p.sku, p.id]));
    const skus = products.map((p) => p.sku);
    sandbox.resetStats();

    const started = Date.now();
    const share = (i: number) => Math.floor(plan.sales / plan.apis) + (i < plan.sales % plan.apis ? 1 : 0);
    const killer = plan.killFirstWorkerAfterMs === undefined ? undefined
      : setTimeout(() => cluster.processes.find((p) => p.name === 'worker 1')?.child.kill('SIGKILL'), plan.killFirstWorkerAfterMs);
    const [tills, edited] = await Promise.all([
      Promise.all(cluster.apis.map((httpUrl, i) => runTills({ httpUrl, token, registerId: register.id, skus, sales: share(i), seconds: plan.seconds }, () => undefined))),
      editDuringStorm(cluster.apis, skus, plan, token),
    ]);
    const stormEnd = Date.now();
    clearTimeout(killer);

    const offCount = async () => {
      const pos = new Map<number, number>(
        (await db('inventory').where({ outlet_id: outlet.id }).whereIn('product_id', productIds).select('product_id', 'quantity'))
          .map((r: { product_id: number; quantity: number }) => [r.product_id, Number(r.quantity)]),
      );
      const names = new Map<string, string>(edited);
      return products.filter((p) => {
        const remote = remoteOf.get(p.sku)!;
        return sandbox.state.stockOf(remote) !== pos.get(p.id) || (names.has(p.sku) && sandbox.state.product(remote)?.name !== names.get(p.sku));
      }).length;
    };
    let off = await offCount();
    while (off > 0 && Date.now() - stormEnd < plan.convergeTimeoutMs) {
      await new Promise((r) => setTimeout(r, 250));
      off = await offCount();
    }
    const convergedAt = Date.now();
    const stats = sandbox.stats();
    const workerTexts = await Promise.all(cluster.workerMetrics.map(async (url) => {
      try {
        return await (await fetch(url)).text();
      } catch {
        return undefined;
      }
    }));
    const sum = (text: string, name: string) => text.split('\n')
      .filter((l) => l.startsWith(name) && l.includes(`connection="${connectionId}"`))
      .reduce((a, l) => a + Number(l.split(/\s+/).pop()), 0);
    const alive = workerTexts.filter((t): t is string => t !== undefined);
    const lagCount = alive.reduce((a, t) => a + sum(t, 'possync_push_lag_seconds_count'), 0);
    const lagSum = alive.reduce((a, t) => a + sum(t, 'possync_push_lag_seconds_sum'), 0);
    const failed = tills.reduce((a, t) => a + t.failed, 0);
    return {
      apis: plan.apis, workers: plan.workers, products: plan.products, sales: plan.sales, failed_sales: failed,
      sales_per_api: cluster.apis.map((_, i) => share(i) - tills[i]!.failed),
      edits: edited.size, killed_worker: plan.killFirstWorkerAfterMs !== undefined,
      storm_ms: stormEnd - started, sales_per_second: Math.round((plan.sales / (stormEnd - started)) * 1000),
      converge_ms: off === 0 ? convergedAt - stormEnd : NaN,
      final_stock_exact: off === 0, products_off: off,
      overlapping_writes: stats.overlappingWrites, shop_requests: stats.requests,
      shop_requests_per_worker: workerTexts.map((t) => (t === undefined ? null : sum(t, 'possync_shop_requests_total'))),
      push_lag_seconds: { samples: lagCount, mean: lagCount > 0 ? +(lagSum / lagCount).toFixed(3) : NaN },
    };
  } finally {
    await cluster.stop();
    await sandbox.close();
  }
}

/** Renames products at an even pace over the storm, through the APIs in turn; the names each SKU must end with. */
async function editDuringStorm(apis: string[], skus: string[], plan: ScaleOutPlan, token: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < plan.edits; i++) {
    await new Promise((r) => setTimeout(r, (plan.seconds * 1000) / (plan.edits + 1)));
    const sku = skus[(i * 37) % skus.length]!;
    const name = `Edited ${i} during the storm`;
    const res = await axios.post(`${apis[i % apis.length]}/api/products`, { sku, type: 'simple', name, retail_price: 25, channels: ['in_store', 'online'] }, { validateStatus: () => true, headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200 && res.status !== 201) throw new Error(`editing ${sku} failed: ${res.status} ${JSON.stringify(res.data)}`);
    names.set(sku, name);
  }
  return names;
}
