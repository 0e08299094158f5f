import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Db } from '../db/connection';
import { InvalidOperationError } from '../activities/pos/errors';
import { CatalogConflictError } from '../activities/pos/catalog';
import { BadRequestError, errorHandler } from './errors';
import { registerApiIndexRoute } from './routes/api-index';
import { registerConnectionOutletRoutes } from './routes/connection-outlets';
import { registerDriftReportRoutes } from './routes/drift-reports';
import { registerHealthRoutes, type HealthDeps } from './routes/health';
import { registerOperationRoutes } from './routes/operations';
import { registerProductRoutes } from './routes/products';
import { registerReferenceRoutes } from './routes/reference';
import { registerWooWebhookRoutes, type WebhookDeps } from './routes/woo-webhooks';

export interface ServerDeps extends WebhookDeps, HealthDeps {
  db: Db;
  /** Wakes the push dispatcher after a commit. The server never calls a shop itself. */
  afterCommit: () => void;
  logger?: FastifyBaseLogger;
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app: FastifyInstance = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // Failures are logged by the error handler; a line per request would drown them.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 20 * 1024 * 1024,
  });
  // Kept as bytes: the CSV import decodes them itself, refusing what is not UTF-8 (server/csv-decode.ts).
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof InvalidOperationError || err instanceof CatalogConflictError) {
      return errorHandler(new BadRequestError([{ field: err.field, message: err instanceof InvalidOperationError ? err.reason : err.message }]), req, reply);
    }
    return errorHandler(err, req, reply);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url}` });
  });
  registerApiIndexRoute(app);
  registerHealthRoutes(app, deps);
  registerReferenceRoutes(app, deps);
  registerConnectionOutletRoutes(app, deps);
  registerDriftReportRoutes(app, deps);
  registerProductRoutes(app, deps);
  registerOperationRoutes(app, deps);
  registerWooWebhookRoutes(app, deps);
  return app;
}
