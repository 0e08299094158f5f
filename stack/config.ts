import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { securityConfig, securityEnvShape, type SecurityConfig } from '../server/auth/settings';

/**
 * The one place that reads process.env. Everything else receives a typed Config.
 * Unset values select the embedded defaults: embedded PostgreSQL, a local Temporal
 * dev server and the WooCommerce sandbox store.
 */
const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^https?:\/\/[^\s/]+/.test(v), { message: `${name} must be an http(s) URL` });

const envSchema = z
  .object({
    DATABASE_URL: z.string().trim().optional(),
    POSSYNC_DATA_DIR: z.string().trim().optional(),
    EMBEDDED_PG_PORT: port.default(54329),
    TEMPORAL_ADDRESS: z.string().trim().optional(),
    TEMPORAL_NAMESPACE: z.string().trim().default('default'),
    TEMPORAL_API_KEY: z.string().trim().optional(),
    TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
    TEMPORAL_CLI: z.string().trim().optional(),
    TEMPORAL_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    TEMPORAL_TASK_QUEUE: z.string().trim().default('possync'),
    HTTP_HOST: z.string().trim().default('127.0.0.1'),
    HTTP_PORT: port.default(3000),
    POSSYNC_API_URL: optionalUrl('POSSYNC_API_URL'),
    POSSYNC_PUBLIC_URL: optionalUrl('POSSYNC_PUBLIC_URL'),
    SANDBOX_PORT: port.default(8081),
    SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).max(10_000).default(100),
    WOO_CONNECTION_ID: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'WOO_CONNECTION_ID must be lowercase letters, digits and dashes')
      .default('woo-main'),
    POSSYNC_CONNECTIONS: z.string().trim().optional(),
    POSSYNC_DEMO: z.enum(['true', 'false'], { error: 'POSSYNC_DEMO must be true or false' }).optional(),
    WOO_URL: optionalUrl('WOO_URL'),
    WOO_CONSUMER_KEY: z.string().trim().optional(),
    WOO_CONSUMER_SECRET: z.string().trim().optional(),
    WOO_WEBHOOK_SECRET: z.string().trim().optional(),
    PUSH_QUIET_WINDOW_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
    ORDER_POLL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
    WEBHOOK_CHECK_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
    WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    WORKFLOW_BUNDLE: z.string().trim().optional(),
    WORKER_METRICS_ADDRESS: z.string().trim().regex(/^(off|\[?[^\]\s]*\]?:\d{1,5})$/, 'WORKER_METRICS_ADDRESS must be host:port or off').default('127.0.0.1:9464'),
    CREATE_LAND_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
    PUSH_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
    RECONCILE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
    PUSH_STRANDED_AFTER_SECONDS: z.coerce.number().int().min(10).max(86_400).default(180),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ...securityEnvShape,
  })
  .superRefine((env, ctx) => {
    const woo = [env.WOO_URL, env.WOO_CONSUMER_KEY, env.WOO_CONSUMER_SECRET];
    const given = woo.filter((v) => v !== undefined && v !== '').length;
    if (given > 0 && given < 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['WOO_URL'],
        message: 'a real WooCommerce store needs all of WOO_URL, WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET',
      });
    }
    if (env.WOO_CONSUMER_KEY && !env.WOO_CONSUMER_KEY.startsWith('ck_')) {
      ctx.addIssue({ code: 'custom', path: ['WOO_CONSUMER_KEY'], message: 'WOO_CONSUMER_KEY must start with ck_' });
    }
    if (env.WOO_CONSUMER_SECRET && !env.WOO_CONSUMER_SECRET.startsWith('cs_')) {
      ctx.addIssue({ code: 'custom', path: ['WOO_CONSUMER_SECRET'], message: 'WOO_CONSUMER_SECRET must start with cs_' });
    }
  });

export interface WooStoreConfig {
  connectionId: string;
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  webhookSecret?: string;
}

export interface Config {
  dataDir: string;
  database: { url?: string; embeddedPort: number };
  temporal: {
    address?: string;
    namespace: string;
    apiKey?: string;
    tls: boolean;
    cliPath?: string;
    devServerPort: number;
    uiPort: number;
    taskQueue: string;
  };
  http: { host: string; port: number };
  /** Where the CLI finds the POS API: POSSYNC_API_URL, else the HTTP_HOST/HTTP_PORT that npm start listens on. */
  apiUrl: string;
  /** Where the CLI finds Temporal: TEMPORAL_ADDRESS, else the dev server npm start runs on TEMPORAL_PORT. */
  temporalAddressForClients: string;
  /** The base URL a shop reaches the POS API at (webhook deliveries); unset: the address npm start listens on. */
  publicUrl?: string;
  sandbox: { port: number; latencyMs: number };
  /**
   * The connections file (issue 9): POSSYNC_CONNECTIONS, else possync.connections.yaml in the working
   * folder when it exists. Unset, with no WOO_*, npm start runs the sandbox connection.
   */
  connectionsFile?: string;
  /** POSSYNC_DEMO: unset means the demo catalog for sandbox-only starts; false starts them empty. */
  demo: boolean;
  /** Set when real credentials are configured; otherwise the sandbox store is used. */
  woo?: WooStoreConfig;
  wooConnectionId: string;
  wooWebhookSecret?: string;
  pushQuietWindowMs: number;
  pushIdleTimeoutMs: number;
  /** How long after a create whose answer was lost it may still land in the shop (issue 6 point 3). */
  createLandWaitMs: number;
  orderPollSeconds: number;
  /** How often each connection's order webhooks are checked and re-activated (issue 6.11). */
  webhookCheckSeconds: number;
  /** A stopping worker lets running activities finish this long before cancelling them. */
  workerShutdownGraceSeconds: number;
  /** Where a standalone worker serves GET /metrics (host:port); undefined when WORKER_METRICS_ADDRESS=off. */
  workerMetricsAddress?: string;
  /** The prebuilt workflow bundle the standalone worker loads (scripts/build-workflow-bundle.ts). */
  workflowBundlePath: string;
  /** How often the reconciliation re-queues stranded pending pushes and probes blocked connections (issue 7 points 2, 5). */
  reconcileSeconds: number;
  /** A pending mark this old with nothing queued counts as stranded. */
  pushStrandedAfterSeconds: number;
  logLevel: string;
  /** API tokens, allowed hosts, CORS origins, who may read /metrics (server/auth/settings.ts). */
  security: SecurityConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const woo: WooStoreConfig | undefined =
    e.WOO_URL && e.WOO_CONSUMER_KEY && e.WOO_CONSUMER_SECRET
      ? {
          connectionId: e.WOO_CONNECTION_ID,
          baseUrl: e.WOO_URL.replace(/\/+$/, ''),
          consumerKey: e.WOO_CONSUMER_KEY,
          consumerSecret: e.WOO_CONSUMER_SECRET,
          webhookSecret: e.WOO_WEBHOOK_SECRET,
        }
      : undefined;
  return {
    dataDir: path.resolve(cwd, e.POSSYNC_DATA_DIR ?? '.data'),
    database: { url: e.DATABASE_URL || undefined, embeddedPort: e.EMBEDDED_PG_PORT },
    temporal: {
      address: e.TEMPORAL_ADDRESS || undefined,
      namespace: e.TEMPORAL_NAMESPACE,
      apiKey: e.TEMPORAL_API_KEY || undefined,
      tls: e.TEMPORAL_TLS === 'true' || Boolean(e.TEMPORAL_API_KEY),
      cliPath: e.TEMPORAL_CLI || undefined,
      devServerPort: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
    },
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
    apiUrl: (e.POSSYNC_API_URL ?? `http://${clientHost(e.HTTP_HOST)}:${e.HTTP_PORT}`).replace(/\/+$/, ''),
    temporalAddressForClients: e.TEMPORAL_ADDRESS || `127.0.0.1:${e.TEMPORAL_PORT}`,
    publicUrl: e.POSSYNC_PUBLIC_URL?.replace(/\/+$/, ''),
    sandbox: { port: e.SANDBOX_PORT, latencyMs: e.SANDBOX_LATENCY_MS },
    connectionsFile: connectionsFilePath(e.POSSYNC_CONNECTIONS, cwd),
    demo: e.POSSYNC_DEMO !== 'false',
    woo,
    wooConnectionId: e.WOO_CONNECTION_ID,
    wooWebhookSecret: e.WOO_WEBHOOK_SECRET,
    pushQuietWindowMs: e.PUSH_QUIET_WINDOW_MS,
    pushIdleTimeoutMs: e.PUSH_IDLE_TIMEOUT_MS,
    createLandWaitMs: e.CREATE_LAND_WAIT_MS,
    orderPollSeconds: e.ORDER_POLL_SECONDS,
    webhookCheckSeconds: e.WEBHOOK_CHECK_SECONDS,
    workerShutdownGraceSeconds: e.WORKER_SHUTDOWN_GRACE_SECONDS,
    workerMetricsAddress: e.WORKER_METRICS_ADDRESS === 'off' ? undefined : e.WORKER_METRICS_ADDRESS,
    workflowBundlePath: path.resolve(cwd, e.WORKFLOW_BUNDLE ?? path.join('dist', 'workflow-bundle.js')),
    reconcileSeconds: e.RECONCILE_SECONDS,
    pushStrandedAfterSeconds: e.PUSH_STRANDED_AFTER_SECONDS,
    logLevel: e.LOG_LEVEL,
    security: securityConfig(e),
  };
}

function connectionsFilePath(given: string | undefined, cwd: string): string | undefined {
  if (given) return path.resolve(cwd, given);
  const fallback = path.resolve(cwd, 'possync.connections.yaml');
  return fs.existsSync(fallback) ? fallback : undefined;
}

/** A server bound to every interface is reached on loopback. */
function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '' ) return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
