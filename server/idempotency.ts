import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { Db } from '../db/connection';
import { BadRequestError } from './errors';
import { inTransaction } from './transaction';

export interface OperationResponse {
  status: number;
  body: unknown;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * Runs a POS operation at most once per `Idempotency-Key` (when the request has one).
 *
 * The key row is inserted first, in the operation's own transaction: a concurrent request with
 * the same key blocks on the key's unique index until this transaction ends. If it commits,
 * the other finds the key and answers the stored response (writing nothing); if it rolls back
 * (bad input, a crash), the other runs the operation itself. The same key with another body,
 * or on another operation, is refused with 409.
 */
export async function runOperation(
  db: Db, req: FastifyRequest, body: unknown, op: (trx: Knex.Transaction) => Promise<OperationResponse>,
): Promise<OperationResponse & { replayed: boolean }> {
  const key = idempotencyKey(req);
  if (key === undefined) return { ...(await inTransaction(db, op)), replayed: false };
  const operation = `${req.method} ${req.routeOptions.url ?? req.url}`;
  const requestHash = crypto.createHash('sha256').update(typeof body === 'string' ? body : stableJson(body)).digest('hex');
  return inTransaction(db, async (trx) => {
    const inserted = await trx.raw(
      'INSERT INTO idempotency_keys (key, operation, request_hash) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING key',
      [key, operation, requestHash],
    );
    if (inserted.rows.length === 0) {
      const first = await trx('idempotency_keys').where({ key }).first('operation', 'request_hash', 'status', 'response');
      if (first.operation !== operation) {
        throw new BadRequestError([{ field: 'Idempotency-Key', message: `this key was already used for ${first.operation}; use a new key for each operation` }], 409);
      }
      if (first.request_hash !== requestHash) {
        throw new BadRequestError([{ field: 'Idempotency-Key', message: 'this key was already used with a different request body; a retry must send the same body, a new operation a new key' }], 409);
      }
      return { status: first.status, body: first.response, replayed: true };
    }
    const res = await op(trx);
    await trx('idempotency_keys').where({ key }).update({ status: res.status, response: JSON.stringify(res.body) });
    return { ...res, replayed: false };
  });
}

function idempotencyKey(req: FastifyRequest): string | undefined {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new BadRequestError([{ field: 'Idempotency-Key', message: 'give the header once' }]);
  if (!KEY_PATTERN.test(raw)) throw new BadRequestError([{ field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters (a UUID is a good key)' }]);
  return raw;
}

/** JSON with object keys sorted, so a retry whose client orders keys differently is the same request. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
