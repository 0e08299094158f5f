import type { Knex } from 'knex';

/** WooCommerce orders in the POS (M-B1..M-B9): what each order has deducted, import runs, backups. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('remote_orders', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.bigInteger('remote_order_id').notNullable();
    t.text('status').notNullable();
    t.timestamp('date_created_gmt', { useTz: true });
    t.timestamp('date_modified_gmt', { useTz: true });
    // What this order has taken out of stock, per item: the basis of exactly-once (M-B8 beyond).
    t.jsonb('applied').notNullable().defaultTo('[]');
    t.integer('outlet_id').references('outlets.id');
    t.text('source').notNullable().checkIn(['import', 'sync', 'reimport']);
    t.text('outcome').notNullable().checkIn(['imported', 'skipped', 'failed']);
    t.text('reason').notNullable().defaultTo('');
    t.bigInteger('import_run_id');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['connection_id', 'remote_order_id']);
    t.index(['import_run_id']);
  });
  await knex.schema.createTable('backups', (t) => {
    t.text('id').primary();
    t.text('connection_id').references('connections.id').onDelete('SET NULL');
    t.text('reason').notNullable();
    t.integer('products').notNullable().defaultTo(0);
    t.integer('inventory_rows').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('restored_at', { useTz: true });
  });
  await knex.schema.createTable('backup_products', (t) => {
    t.text('backup_id').notNullable().references('backups.id').onDelete('CASCADE');
    t.integer('product_id').notNullable();
    t.jsonb('product').notNullable();
    t.primary(['backup_id', 'product_id']);
  });
  await knex.schema.createTable('backup_inventory', (t) => {
    t.text('backup_id').notNullable().references('backups.id').onDelete('CASCADE');
    t.integer('outlet_id').notNullable();
    t.integer('product_id').notNullable();
    t.integer('variant_id');
    t.integer('quantity').notNullable();
    t.index(['backup_id']);
  });
  await knex.schema.createTable('import_runs', (t) => {
    t.bigIncrements('id');
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.text('workflow_id').notNullable();
    // workflow id + first run id: stable across continue-as-new, so starting a run is idempotent.
    t.text('run_key').notNullable().unique();
    t.boolean('dry_run').notNullable().defaultTo(false);
    t.text('state').notNullable().defaultTo('running');
    t.text('backup_id').references('backups.id');
    t.jsonb('progress').notNullable().defaultTo('{}');
    t.jsonb('report');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });
  // Products an import touched (stock or link): pushed back to the shop when it ends (M-B5).
  await knex.schema.createTable('import_run_products', (t) => {
    t.bigInteger('import_run_id').notNullable().references('import_runs.id').onDelete('CASCADE');
    t.integer('product_id').notNullable();
    t.primary(['import_run_id', 'product_id']);
  });
  await knex.schema.createTable('order_sync_state', (t) => {
    t.text('connection_id').primary().references('connections.id').onDelete('CASCADE');
    // The poll asks for orders modified after this instant (minus a safety overlap).
    t.timestamp('modified_after', { useTz: true }).notNullable();
    t.timestamp('polled_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['order_sync_state', 'import_run_products', 'import_runs', 'backup_inventory', 'backup_products', 'backups', 'remote_orders']) {
    await knex.schema.dropTableIfExists(t);
  }
}
