import type { Knex } from 'knex';

/**
 * The shop's media id of each POS image, per connection (issue 6 point 1): WooCommerce downloads
 * every image sent without an id, so an image is sent by src once and by this id afterwards.
 * variant_id 0 is the product's own images (featured + gallery).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('remote_media', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.integer('variant_id').notNullable().defaultTo(0);
    t.text('src').notNullable();
    t.bigInteger('media_id').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['connection_id', 'product_id', 'variant_id', 'src']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('remote_media');
}
