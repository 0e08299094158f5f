import type { Knex } from 'knex';

/**
 * Issue 10: products waiting for their eCom connection's writer (ecom-writer/<connection>), the
 * one place that writes to that shop. One row per product and connection, so many changes of a
 * product before the writer reaches it cost one push. `stock_only` rows (movements, the stock
 * aggregation) go before catalog edits; a catalog edit queued on top of a stock row widens it.
 * `seq` moves on every new change, so a push that read an older seq leaves the newer change queued.
 * `ecom_writer_wakeups` names writers to signal once the transaction that queued rows commits.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SEQUENCE ecom_write_seq');
  await knex.schema.createTable('ecom_write_queue', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.boolean('stock_only').notNullable();
    t.bigInteger('seq').notNullable();
    t.text('reason').notNullable();
    t.timestamp('queued_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['connection_id', 'product_id']);
    t.index(['connection_id', 'stock_only', 'seq']);
  });
  await knex.schema.createTable('ecom_writer_wakeups', (t) => {
    t.text('connection_id').primary().references('connections.id').onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ecom_writer_wakeups');
  await knex.schema.dropTable('ecom_write_queue');
  await knex.raw('DROP SEQUENCE ecom_write_seq');
}
