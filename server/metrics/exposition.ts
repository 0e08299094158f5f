import http from 'node:http';
import { processRegistry } from './process-metrics';
import type { DbGauges } from './db-gauges';

export const METRICS_CONTENT_TYPE = processRegistry.contentType;

export interface MetricsSources {
  /** Database figures (API processes). */
  db?: DbGauges;
  /** The Temporal SDK's Prometheus exporter of this process (a worker), read through so one scrape gets all. */
  sdkMetricsUrl?: string;
}

/** One process's /metrics: its own counters, the database figures, then the Temporal SDK's metrics. */
export async function metricsText(sources: MetricsSources): Promise<string> {
  const parts = [await processRegistry.metrics()];
  if (sources.db) parts.push(await sources.db.metrics());
  if (sources.sdkMetricsUrl) parts.push(await sdkMetrics(sources.sdkMetricsUrl));
  return parts.join('\n');
}

function sdkMetrics(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    });
    // The SDK's figures are a bonus: possync's own are answered even when the exporter is not.
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve(`# Temporal SDK metrics unavailable: ${err.message}\n`));
  });
}
