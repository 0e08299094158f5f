import type { Knex } from 'knex';

/**
 * POS items created from a shop product (M-B6): they start at the connection's outlet with the
 * shop's stock level read at `shop_stock_at`. That level already includes every order the shop
 * had changed by then, so those orders are recorded as applied without moving stock again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('shop_seeded_items', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.integer('variant_id').references('variants.id').onDelete('CASCADE');
    t.integer('shop_stock');
    t.timestamp('shop_stock_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX shop_seeded_items_item ON shop_seeded_items (connection_id, product_id, (coalesce(variant_id, 0)))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('shop_seeded_items');
}
