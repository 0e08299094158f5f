import type { Knex } from 'knex';

/**
 * Issue 10 (the eCom product writer):
 * - `ecom_objects`: per remote object of a connection (the product, one variant per POS variant or
 *   the simple product's default variant, one product image per POS image src), what was last
 *   written: a hash of the POS-owned payload (stock excluded: product_links.pushed_stock holds that)
 *   and, for images, the source URL and content hash, so nothing unchanged is sent again.
 *   A row with remote_id null is a create that was sent but whose answer was not recorded yet
 *   (a lost answer or a killed worker): the next run looks for it before creating again.
 *   `run_key` names the creation run that created the object (its saga undoes only those).
 * - `ecom_creations`: the creation saga of a (connection, product), resumed by its run key.
 * - `ecom_brands`: the brand resource id per brand title, so a push does not list brands again.
 * - `products.archived`: the POS archive (its delete): never created again in any shop.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.boolean('archived').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('ecom_objects', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.text('kind').notNullable().checkIn(['product', 'variant', 'image']);
    // '' for the product, 'simple' or 'v:<POS variant id>' for a variant, the POS image src for an image.
    t.text('pos_ref').notNullable();
    t.bigInteger('remote_id');
    t.text('payload_hash');
    t.jsonb('payload');
    t.text('image_src');
    t.text('image_hash');
    t.text('run_key');
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('written_at', { useTz: true });
    t.primary(['connection_id', 'product_id', 'kind', 'pos_ref']);
  });
  await knex.schema.createTable('ecom_creations', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.text('run_key').notNullable();
    t.text('state').notNullable().checkIn(['running', 'done', 'undone']);
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('settled_at', { useTz: true });
    t.primary(['connection_id', 'product_id']);
  });
  await knex.schema.createTable('ecom_brands', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.text('brand_key').notNullable();
    t.bigInteger('remote_id').notNullable();
    t.primary(['connection_id', 'brand_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ecom_brands');
  await knex.schema.dropTable('ecom_creations');
  await knex.schema.dropTable('ecom_objects');
  await knex.schema.alterTable('products', (t) => t.dropColumn('archived'));
}
