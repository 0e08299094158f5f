import { EcomClient } from '../activities/ecom/client';
import { RequestBudget } from '../activities/ecom/request-budget';
import { startEcomSandbox, type WindowMode } from '../sandbox/ecom';
import { report } from './harness';

/**
 * The eCom request budget under a backlog far larger than a window: 1,000 requests (a third stock
 * writes, the rest reads) against the sandbox's real limits at time scale 0.01 (5 minutes = 3 s).
 * Target: zero 429s, and every 5-minute window the backlog waited on used to ≥ 90%, so the elapsed
 * time stays near the lower bound of (full windows needed) × window length.
 */
export async function ecomBudget(): Promise<void> {
  for (const mode of ['fixed', 'sliding'] as WindowMode[]) await measure(mode, 1000, 0.01);
}

async function measure(mode: WindowMode, requests: number, timeScale: number): Promise<void> {
  const sandbox = await startEcomSandbox({ rateLimit: { timeScale, mode, limits: [300, 3000, 12000] } });
  const client = new EcomClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, language: 'nl', ownBudget: new RequestBudget({ timeScale }) });
  try {
    sandbox.setRateLimit({ timeScale, mode });
    const product = await client.products.create({ title: 'Budget bench' });
    const [variant] = await client.variants.list({ product: product.id });
    sandbox.resetStats();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        i % 3 === 0 ? client.variants.update(variant!.id, { stockTracking: 'enabled', stockLevel: i }, 'stock') : client.products.count(),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const stats = sandbox.stats();
    const windowSeconds = 300 * timeScale;
    const fullWindows = stats.fiveMinuteWindows.slice(0, -1).map((w) => w.used);
    const lowerBoundSeconds = (Math.ceil(requests / 300) - 1) * windowSeconds;
    report('ecom-budget', {
      mode,
      requests,
      timeScale,
      rateLimited: stats.rateLimited,
      requestsSeen: stats.requests,
      usedPerFullWindow: fullWindows,
      minWindowUse: fullWindows.length ? Math.min(...fullWindows) / 300 : 1,
      peakPerSecond: stats.peakPerSecond,
      seconds,
      lowerBoundSeconds,
      ratio: Math.round((seconds / lowerBoundSeconds) * 100) / 100,
      target: 'zero 429s; every full window ≥ 90% used; ratio near 1',
    });
  } finally {
    client.close();
    await sandbox.close();
  }
}
