import type { Knex } from 'knex';

/**
 * Issue 11 (M-C6): the outlets whose stock is summed for a connection. A connection without rows
 * uses the outlet of its register. `batch_push_wakeups` names connections whose batched push
 * must be signalled for rows queued outside the push outbox (a changed outlet set, a drift
 * repair): the dispatcher drains it, so the signal survives a crash like the outbox does.
 * `drift_reports` / `drift_items` keep what a drift run found, so the workflow only carries counts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('connection_outlets', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('outlet_id').notNullable().references('outlets.id');
    t.primary(['connection_id', 'outlet_id']);
  });
  await knex.schema.createTable('batch_push_wakeups', (t) => {
    t.text('connection_id').primary().references('connections.id').onDelete('CASCADE');
  });
  await knex.schema.createTable('drift_reports', (t) => {
    t.bigIncrements('id');
    // One report per workflow run: a retried start finds its row.
    t.text('workflow_id').notNullable().unique();
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.text('sku');
    t.boolean('repair').notNullable().defaultTo(false);
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('shop_products').notNullable().defaultTo(0);
    t.integer('shop_requests').notNullable().defaultTo(0);
    t.timestamp('finished_at', { useTz: true });
    t.jsonb('repaired');
  });
  await knex.schema.createTable('drift_items', (t) => {
    t.bigIncrements('id');
    t.bigInteger('report_id').notNullable().references('drift_reports.id').onDelete('CASCADE');
    t.text('kind').notNullable().checkIn(['differs', 'unlinked', 'missing']);
    t.integer('product_id').references('products.id').onDelete('CASCADE');
    t.integer('remote_id');
    t.text('sku').notNullable();
    t.jsonb('fields').notNullable().defaultTo('[]');
    t.jsonb('shop');
    t.jsonb('pos');
    // The shop page it was found on (null: found after the scan), so a retried page replaces its rows.
    t.integer('page');
    t.index(['report_id', 'page']);
  });

  // Shop ids a drift scan saw, per page: what is linked but was not seen is missing in the shop.
  await knex.schema.createTable('drift_seen', (t) => {
    t.bigInteger('report_id').notNullable().references('drift_reports.id').onDelete('CASCADE');
    t.integer('page').notNullable();
    t.integer('remote_id').notNullable();
    t.primary(['report_id', 'remote_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('drift_seen');
  await knex.schema.dropTable('drift_items');
  await knex.schema.dropTable('drift_reports');
  await knex.schema.dropTable('batch_push_wakeups');
  await knex.schema.dropTable('connection_outlets');
}
