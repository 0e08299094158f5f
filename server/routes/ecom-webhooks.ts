import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';
import { num } from '../../activities/ecom/normalize';

export interface EcomWebhookDeps {
  db: Db;
  /** Starts ecom-order-sync/<connection>/<order>/<body hash>; false when that delivery was seen already. Unset: this process takes no eCom webhooks. */
  startEcomOrderSync?(connectionId: string, orderId: number, version: string): Promise<boolean>;
}

const UNKNOWN_TOKEN = crypto.randomBytes(24).toString('base64url');

function sameToken(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * Lightspeed eCom order webhooks (M-C7). eCom signs nothing (apis.md §2.8), so the address itself
 * is the secret: /webhooks/ecom/<connection>?token=<the connection's token> (ecom_order_hooks).
 * Nothing is parsed, stored or started before the token checks out; a delivery is only a hint:
 * the order is read fresh from the shop and applied once by ecomOrderSync.
 */
export function registerEcomWebhookRoutes(app: FastifyInstance, deps: EcomWebhookDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post<{ Params: { connectionId: string }; Querystring: { token?: string } }>('/webhooks/ecom/:connectionId', async (req, reply) => {
      const { connectionId } = req.params;
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      if (token === '') return reply.status(401).send({ error: 'missing_token', message: 'the token query parameter is missing' });
      const row = await deps.db('ecom_order_hooks as h').join('connections as c', 'c.id', 'h.connection_id')
        .where({ 'h.connection_id': connectionId, 'c.kind': 'ecom', 'c.active': true }).first('h.token');
      // An unknown or inactive connection costs the same comparison and gets the same answer as a wrong token.
      if (!sameToken(token, row?.token ?? UNKNOWN_TOKEN) || !row) {
        return reply.status(403).send({ error: 'bad_token', message: 'the token does not match this connection' });
      }
      const group = req.headers['x-group-id'];
      if (typeof group === 'string' && group !== '' && group !== 'orders') {
        return reply.status(200).send({ ok: true, ignored: `item group ${group} is not synced` });
      }
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.status(400).send({ error: 'invalid_json', message: 'the body is not valid JSON' });
      }
      const order = typeof body === 'object' && body !== null ? (body as { order?: unknown }).order : undefined;
      if (typeof order !== 'object' || order === null) {
        return reply.status(400).send({ error: 'invalid_order', message: 'the body has no "order" object' });
      }
      const idValue = (order as { id?: unknown }).id;
      const orderId = num(idValue);
      if (!Number.isSafeInteger(orderId) || orderId <= 0 || typeof idValue === 'boolean') {
        return reply.status(400).send({ error: 'invalid_order', message: 'order.id is not a positive integer' });
      }
      if (!deps.startEcomOrderSync) return reply.status(503).send({ error: 'unavailable', message: 'this process does not apply eCom orders' });
      // Same body, same key: a redelivery is recognised; a newer state of the order is a new delivery.
      const version = crypto.createHash('sha256').update(raw).digest('hex').slice(0, 20);
      const started = await deps.startEcomOrderSync(connectionId, orderId, version);
      return reply.status(200).send({ ok: true, order: orderId, duplicate: !started });
    });
  });
}
