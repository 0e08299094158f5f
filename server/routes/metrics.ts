import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';
import { DbGauges } from '../metrics/db-gauges';
import { METRICS_CONTENT_TYPE, metricsText } from '../metrics/exposition';

export interface MetricsDeps {
  db: Db;
  /** The in-process worker's Temporal SDK exporter (npm start), appended to the answer. */
  sdkMetricsUrl?: string;
}

/** `GET /metrics` in the Prometheus text format (docs/operations.md lists what to alert on). */
export function registerMetricsRoutes(app: FastifyInstance, deps: MetricsDeps): void {
  const db = new DbGauges(deps.db);
  app.get('/metrics', async (_req, reply) => {
    const text = await metricsText({ db, sdkMetricsUrl: deps.sdkMetricsUrl });
    return reply.type(METRICS_CONTENT_TYPE).send(text);
  });
}
