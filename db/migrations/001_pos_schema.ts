import type { Knex } from 'knex';

/** The POS system of record (M-A1): catalog, outlets, stock and the links to remote stores. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outlets', (t) => {
    t.increments('id');
    t.text('name').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('registers', (t) => {
    t.increments('id');
    t.integer('outlet_id').notNullable().references('outlets.id');
    t.text('name').notNullable();
    t.unique(['outlet_id', 'name']);
  });
  await knex.schema.createTable('products', (t) => {
    t.increments('id');
    t.text('sku').notNullable().unique();
    t.text('type').notNullable().checkIn(['simple', 'variable']);
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('brand').notNullable().defaultTo('');
    t.text('upc').notNullable().defaultTo('');
    t.decimal('retail_price', 12, 2);
    t.boolean('active').notNullable().defaultTo(true);
    t.specificType('channels', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('attributes').notNullable().defaultTo('[]');
    t.jsonb('images').notNullable().defaultTo('[]');
    t.decimal('weight', 10, 3);
    t.jsonb('dimensions');
    t.bigInteger('version').notNullable().defaultTo(1);
    // Set by every change, cleared when a push reads the product: a change only needs a
    // signal when the flag flips from false to true (see activities/pos/change-feed.ts).
    t.boolean('push_pending').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('variants', (t) => {
    t.increments('id');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.text('sku').notNullable().unique();
    t.text('upc').notNullable().defaultTo('');
    t.decimal('retail_price', 12, 2).notNullable();
    t.jsonb('attributes').notNullable().defaultTo('[]');
    t.jsonb('image');
    t.decimal('weight', 10, 3);
    t.jsonb('dimensions');
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['product_id']);
  });
  await knex.schema.createTable('inventory', (t) => {
    t.increments('id');
    t.integer('outlet_id').notNullable().references('outlets.id');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.integer('variant_id').references('variants.id').onDelete('CASCADE');
    t.integer('quantity').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    'CREATE UNIQUE INDEX inventory_item_outlet ON inventory (outlet_id, product_id, (coalesce(variant_id, 0)))',
  );
  await knex.schema.createTable('stock_movements', (t) => {
    t.bigIncrements('id');
    t.text('kind')
      .notNullable()
      .checkIn([
        'sale', 'refund', 'exchange', 'count', 'stock_order', 'transfer_out', 'transfer_in',
        'adjustment', 'order_import', 'order_sync', 'restore', 'initial',
      ]);
    t.integer('outlet_id').notNullable().references('outlets.id');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.integer('variant_id').references('variants.id').onDelete('CASCADE');
    t.integer('delta').notNullable();
    t.integer('quantity_after').notNullable();
    t.integer('register_id').references('registers.id');
    t.text('reference_type');
    t.text('reference_id');
    t.text('note');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['product_id']);
    t.index(['reference_type', 'reference_id']);
  });
  await knex.schema.createTable('sales', (t) => {
    t.bigIncrements('id');
    t.text('kind').notNullable().checkIn(['sale', 'refund', 'exchange']);
    t.integer('register_id').notNullable().references('registers.id');
    t.integer('outlet_id').notNullable().references('outlets.id');
    t.bigInteger('original_sale_id').references('sales.id');
    t.jsonb('lines').notNullable();
    t.decimal('total', 14, 2).notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('stock_documents', (t) => {
    t.bigIncrements('id');
    t.text('kind').notNullable().checkIn(['count', 'stock_order', 'transfer', 'adjustment']);
    t.integer('outlet_id').notNullable().references('outlets.id');
    t.integer('source_outlet_id').references('outlets.id');
    t.text('reference');
    t.text('note');
    t.jsonb('lines').notNullable();
    t.timestamp('completed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('connections', (t) => {
    t.text('id').primary();
    t.text('kind').notNullable().checkIn(['woocommerce', 'ecom']);
    t.text('name').notNullable();
    t.text('base_url').notNullable();
    t.integer('register_id').notNullable().references('registers.id');
    // Orders created before this instant are history (M-B2), brought in only by the import job.
    t.timestamp('start_date', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('product_links', (t) => {
    t.increments('id');
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.integer('variant_id').references('variants.id').onDelete('CASCADE');
    t.bigInteger('remote_id').notNullable();
    t.bigInteger('remote_parent_id');
    t.bigInteger('pushed_version');
    t.timestamp('pushed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['connection_id', 'remote_id']);
  });
  await knex.raw(
    'CREATE UNIQUE INDEX product_links_item ON product_links (connection_id, product_id, (coalesce(variant_id, 0)))',
  );
  await knex.schema.createTable('sync_log', (t) => {
    t.bigIncrements('id');
    t.text('connection_id');
    t.integer('product_id');
    t.text('workflow_id');
    t.text('action').notNullable();
    t.text('status').notNullable().checkIn(['ok', 'failed', 'compensated', 'skipped']);
    t.text('message').notNullable().defaultTo('');
    t.jsonb('details');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['product_id']);
    t.index(['status', 'created_at']);
  });
  // Durable "this product changed" requests: written in the same transaction as the change,
  // drained by the push dispatcher, so a crash between commit and signal loses nothing.
  await knex.schema.createTable('push_outbox', (t) => {
    t.bigIncrements('id');
    t.integer('product_id').notNullable();
    t.text('reason').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'push_outbox', 'sync_log', 'product_links', 'connections', 'stock_documents', 'sales',
    'stock_movements', 'inventory', 'variants', 'products', 'registers', 'outlets',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
