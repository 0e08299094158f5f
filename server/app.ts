import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Db } from '../db/connection';
import { InvalidOperationError } from '../activities/pos/errors';
import { CatalogConflictError } from '../activities/pos/catalog';
import { BadRequestError, errorHandler } from './errors';
import { registerApiIndexRoute } from './routes/api-index';
import { registerConnectionOutletRoutes } from './routes/connection-outlets';
import { registerDriftReportRoutes } from './routes/drift-reports';
import { registerEcomBudgetRoutes } from './routes/ecom-budget';
import { registerHealthRoutes, type HealthDeps } from './routes/health';
import { registerMetricsRoutes, type MetricsDeps } from './routes/metrics';
import { registerOperationRoutes } from './routes/operations';
import { registerImportRecordRoutes } from './routes/import-records';
import { registerProductRoutes } from './routes/products';
import { registerReferenceRoutes } from './routes/reference';
import { registerWooWebhookRoutes, type WebhookDeps } from './routes/woo-webhooks';
import { registerEcomWebhookRoutes, type EcomWebhookDeps } from './routes/ecom-webhooks';
import { registerAuthGuard } from './auth/guard';
import { CLOSED_SECURITY, type SecurityConfig } from './auth/settings';
import { registerTokenRoutes } from './auth/token-routes';
import { TokenStore } from './auth/tokens';
import { registerSmartBillReceiverRoutes, type SmartBillReceiverDeps } from './routes/smartbill-receiver';
import { registerSmartBillRoutes } from './routes/smartbill';

export interface ServerDeps extends WebhookDeps, EcomWebhookDeps, HealthDeps, SmartBillReceiverDeps, MetricsDeps {
  db: Db;
  /** Wakes the push dispatcher after a commit. The server never calls a shop itself. */
  afterCommit: () => void;
  logger?: FastifyBaseLogger;
  /** Tokens from the environment, allowed hosts, CORS origins (stack/config.ts); unset: closed, database tokens only. */
  security?: SecurityConfig;
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app: FastifyInstance = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // Failures are logged by the error handler; a line per request would drown them.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 20 * 1024 * 1024,
  });
  // Kept as bytes: the CSV import decodes them itself, refusing what is not UTF-8 (server/csv-decode.ts).
  // Not text/plain: a page of another site may send that without asking (server/auth/browser-guard.ts).
  app.addContentTypeParser(['text/csv'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof InvalidOperationError || err instanceof CatalogConflictError) {
      return errorHandler(new BadRequestError([{ field: err.field, message: err instanceof InvalidOperationError ? err.reason : err.message }]), req, reply);
    }
    return errorHandler(err, req, reply);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url}` });
  });
  const tokens = new TokenStore(deps.db, (deps.security ?? CLOSED_SECURITY).envTokens);
  registerAuthGuard(app, tokens, deps.security ?? CLOSED_SECURITY);
  registerTokenRoutes(app, tokens);
  registerApiIndexRoute(app);
  registerHealthRoutes(app, deps);
  registerMetricsRoutes(app, deps);
  registerReferenceRoutes(app, deps);
  registerConnectionOutletRoutes(app, deps);
  registerDriftReportRoutes(app, deps);
  registerEcomBudgetRoutes(app, deps);
  registerProductRoutes(app, deps);
  registerOperationRoutes(app, deps);
  registerImportRecordRoutes(app, deps);
  registerWooWebhookRoutes(app, deps);
  registerEcomWebhookRoutes(app, deps);
  registerSmartBillReceiverRoutes(app, deps);
  registerSmartBillRoutes(app, deps);
  return app;
}
