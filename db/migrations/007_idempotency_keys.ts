import type { Knex } from 'knex';

/**
 * Idempotency keys of POS operations: a till that times out and retries with the same key gets
 * the first result. The key row is inserted in the operation's own transaction, so a concurrent
 * repeat waits on the unique key until the first commits (or rolls back), and never writes twice.
 * Also stores the `reference` a till sends with a sale, refund or exchange.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('key').primary();
    /** "POST /api/sales": the same key on another operation is a different request. */
    t.text('operation').notNullable();
    /** sha256 of the request body, to refuse the same key with a different body. */
    t.text('request_hash').notNullable();
    t.integer('status');
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_at']);
  });
  await knex.schema.alterTable('sales', (t) => {
    t.text('reference');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sales', (t) => {
    t.dropColumn('reference');
  });
  await knex.schema.dropTable('idempotency_keys');
}
