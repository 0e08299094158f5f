import http from 'node:http';
import axios from 'axios';

/**
 * The tills of the benchmarks, in their own process as real tills would be: posts the sales at
 * an even rate and reports each commit (SKU, stock level after the sale, time) to the parent.
 */
export interface TillsPlan {
  httpUrl: string;
  /** A bearer token the API accepts for sales (role till or admin). */
  token: string;
  registerId: number;
  skus: string[];
  sales: number;
  seconds: number;
}

export type TillsMessage =
  | { type: 'commits'; commits: { sku: string; level: number; at: number }[] }
  | { type: 'done'; failed: number; durationMs: number };

async function run(plan: TillsPlan): Promise<void> {
  const api = axios.create({ baseURL: plan.httpUrl, httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }), validateStatus: () => true,
    headers: { authorization: `Bearer ${plan.token}` },
  });
  let buffered: { sku: string; level: number; at: number }[] = [];
  const flush = setInterval(() => {
    if (buffered.length === 0) return;
    process.send!({ type: 'commits', commits: buffered } satisfies TillsMessage);
    buffered = [];
  }, 20);
  const started = Date.now();
  let sent = 0;
  let failed = 0;
  const inflight = new Set<Promise<void>>();
  const perTick = Math.ceil(plan.sales / (plan.seconds * 100));
  while (sent < plan.sales) {
    const due = Math.min(plan.sales, Math.floor(((Date.now() - started) / (plan.seconds * 1000)) * plan.sales) + perTick);
    while (sent < due && inflight.size < 128) {
      const sku = plan.skus[(sent * 7919) % plan.skus.length]!;
      sent += 1;
      const p = api.post('/api/sales', { register_id: plan.registerId, lines: [{ sku, quantity: 1 }] }).then((res) => {
        if (res.status !== 201) failed += 1;
        else buffered.push({ sku, level: res.data.levels[0].quantity as number, at: Date.now() });
      });
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(inflight);
  const durationMs = Date.now() - started;
  clearInterval(flush);
  process.send!({ type: 'commits', commits: buffered } satisfies TillsMessage);
  process.send!({ type: 'done', failed, durationMs } satisfies TillsMessage);
  process.disconnect();
}

process.once('message', (plan: TillsPlan) => {
  run(plan).catch((err) => {
    console.error(err);
    process.exit(1);
  });
});
