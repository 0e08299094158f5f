import crypto from 'node:crypto';
import type { Knex } from 'knex';

/** The connection's webhook token, generated on first use; every process reads the same row. */
export async function ecomOrderHookToken(db: Knex, connectionId: string): Promise<string> {
  await db('ecom_order_hooks').insert({ connection_id: connectionId, token: crypto.randomBytes(24).toString('base64url') }).onConflict('connection_id').ignore();
  return (await db('ecom_order_hooks').where({ connection_id: connectionId }).first('token')).token;
}

/** Where the shop delivers the connection's order webhooks. */
export function ecomOrderHookAddress(publicUrl: string, connectionId: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/ecom/${encodeURIComponent(connectionId)}?token=${encodeURIComponent(token)}`;
}
