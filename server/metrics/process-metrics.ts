import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The metrics one process counts itself (an API, a worker, or npm start which is both): what its
 * activities did and what its shop clients sent. Depths and other figures the database holds are
 * read at scrape time instead (db-gauges.ts), so every process can answer them.
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

export const pushLagSeconds = new Histogram({
  name: 'possync_push_lag_seconds',
  help: 'Time from the oldest POS commit a push carries to the shop acknowledging it, per connection',
  labelNames: ['connection', 'path'] as const,
  buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
  registers: [processRegistry],
});

export const shopRequests = new Counter({
  name: 'possync_shop_requests_total',
  help: 'HTTP requests sent to shops, by connection, method and answer status (an HTTP code, or timeout / network)',
  labelNames: ['connection', 'method', 'status'] as const,
  registers: [processRegistry],
});

export const shopRequestSeconds = new Histogram({
  name: 'possync_shop_request_duration_seconds',
  help: 'Time a shop took to answer a request, by connection and method',
  labelNames: ['connection', 'method'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [processRegistry],
});

export const activityRetries = new Counter({
  name: 'possync_activity_retries_total',
  help: 'Activity attempts after the first (Temporal retries after a fault), by activity',
  labelNames: ['activity'] as const,
  registers: [processRegistry],
});

export const activityFailures = new Counter({
  name: 'possync_activity_failures_total',
  help: 'Failed activity attempts by activity and kind (the error type: WooApiError.rate_limited, WooApiError.server, ...)',
  labelNames: ['activity', 'kind'] as const,
  registers: [processRegistry],
});
