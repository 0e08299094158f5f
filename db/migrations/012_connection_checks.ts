import type { Knex } from 'knex';

/**
 * Issue 9 "Connections": connections declared in a file may be SmartBill too (stored, not run yet),
 * and every connection keeps the result of its last check (start, `possync connections test`, probes).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE connections DROP CONSTRAINT IF EXISTS connections_kind_check');
  await knex.raw(`ALTER TABLE connections ADD CONSTRAINT connections_kind_check CHECK (kind IN ('woocommerce', 'ecom', 'smartbill'))`);
  await knex.schema.createTable('connection_checks', (t) => {
    t.text('connection_id').primary().references('connections.id').onDelete('CASCADE');
    t.timestamp('checked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.boolean('ok').notNullable();
    /** What is wrong, in words (null when ok). */
    t.text('problem');
    /** reachable / credentials / read / write, each ok, failed or not checked. */
    t.jsonb('report').notNullable();
    t.timestamp('last_ok_at', { useTz: true });
    t.integer('failures_in_a_row').notNullable().defaultTo(0);
  });
  // The outcome of the last webhook-health run (`possync connections` shows it).
  await knex.schema.createTable('connection_webhook_states', (t) => {
    t.text('connection_id').primary().references('connections.id').onDelete('CASCADE');
    t.timestamp('checked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('state').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('connection_webhook_states');
  await knex.schema.dropTable('connection_checks');
  await knex.raw(`DELETE FROM connections WHERE kind = 'smartbill'`);
  await knex.raw('ALTER TABLE connections DROP CONSTRAINT IF EXISTS connections_kind_check');
  await knex.raw(`ALTER TABLE connections ADD CONSTRAINT connections_kind_check CHECK (kind IN ('woocommerce', 'ecom'))`);
}
