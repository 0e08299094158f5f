import type { Knex } from 'knex';

/**
 * Linked products waiting for the batched push of their connection (stock movements: sales,
 * refunds, counts...). `seq` changes on every new change, so a push that read an older seq
 * leaves the row for the next round instead of dropping the newer change.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SEQUENCE batch_push_seq');
  await knex.schema.createTable('batch_push_queue', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.bigInteger('seq').notNullable();
    t.text('reason').notNullable();
    t.timestamp('queued_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['connection_id', 'product_id']);
    t.index(['connection_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('batch_push_queue');
  await knex.raw('DROP SEQUENCE batch_push_seq');
}
