import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';

export interface WebhookDeps {
  db: Db;
  /** The secret the shop signs deliveries with, per connection; never logged. */
  webhookSecret(connectionId: string): string | undefined;
  /** Starts order-sync/<connection>/<order>/<body hash>; false when that delivery was seen already. */
  startOrderSync(connectionId: string, orderId: number, modifiedGmt: string): Promise<boolean>;
}

const ORDER_TOPICS = new Set(['order.created', 'order.updated', 'order.restored']);
const UNKNOWN_SECRET = crypto.randomBytes(32).toString('base64url');
const BAD_SIGNATURE = { error: 'bad_signature', message: 'the signature does not match the body' };

/** base64(HMAC-SHA256(raw body, secret)), compared in constant time. */
export function validSignature(raw: Buffer, secret: string, header: string): boolean {
  const expected = crypto.createHmac('sha256', secret).update(raw).digest();
  let given: Buffer;
  try {
    given = Buffer.from(header, 'base64');
  } catch {
    return false;
  }
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * WooCommerce order webhooks (M-B1). The raw body is kept for the signature; nothing is
 * parsed, stored or started before the signature checks out.
 */
export function registerWooWebhookRoutes(app: FastifyInstance, deps: WebhookDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post<{ Params: { connectionId: string } }>('/webhooks/woocommerce/:connectionId', async (req, reply) => {
      const { connectionId } = req.params;
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = req.headers['x-wc-webhook-signature'];
      // Nothing here says whether the connection exists before the signature checks out:
      // the ping and an unsigned or badly signed delivery get the same answer for every id.
      if (typeof signature !== 'string' || signature === '') {
        // The ping WooCommerce sends when a webhook is created: form body webhook_id=N, no signature.
        if (/^webhook_id=\d+$/.test(raw.toString('utf8').trim())) return reply.status(200).send({ ok: true, ping: true });
        return reply.status(401).send({ error: 'unsigned', message: 'the X-WC-Webhook-Signature header is missing' });
      }
      const secret = deps.webhookSecret(connectionId);
      // An unknown connection (or one without a secret) costs the same HMAC as a known one.
      const signed = validSignature(raw, secret ?? UNKNOWN_SECRET, signature) && secret !== undefined;
      if (!signed) {
        return reply.status(401).send(BAD_SIGNATURE);
      }
      const connection = await deps.db('connections').where({ id: connectionId, kind: 'woocommerce' }).first('id');
      if (!connection) return reply.status(404).send({ error: 'not_found', message: `no WooCommerce connection ${connectionId}` });
      const topic = String(req.headers['x-wc-webhook-topic'] ?? '');
      if (!ORDER_TOPICS.has(topic)) return reply.status(200).send({ ok: true, ignored: `topic ${topic || '(none)'} is not synced` });
      let body: { id?: unknown };
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.status(400).send({ error: 'invalid_json', message: 'the body is not valid JSON' });
      }
      const orderId = body?.id;
      if (typeof orderId !== 'number' || !Number.isInteger(orderId) || orderId <= 0) {
        return reply.status(400).send({ error: 'invalid_order', message: 'the body has no positive integer id' });
      }
      // The order's state as delivered: a redelivery of the same state has the same key, while two
      // edits within one second (same date_modified) still differ.
      const version = crypto.createHash('sha256').update(raw).digest('hex').slice(0, 20);
      const started = await deps.startOrderSync(connectionId, orderId, version);
      return reply.status(200).send({ ok: true, order: orderId, duplicate: !started });
    });
  });
}
