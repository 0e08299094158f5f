import type { Knex } from 'knex';

/**
 * Issue 11: the stock level each push path last wrote to a linked shop item, so the periodic
 * aggregation queues only the items whose summed stock differs from what the shop was given.
 * Null: never written (or written before this column), which counts as differing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('product_links', (t) => {
    t.integer('pushed_stock');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('product_links', (t) => {
    t.dropColumn('pushed_stock');
  });
}
