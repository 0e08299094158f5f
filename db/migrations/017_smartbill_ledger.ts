import type { Knex } from 'knex';

/**
 * Issue 12: SmartBill's stock calls are committed here before they are answered (nothing lost when
 * the shop is slow or down), then applied to the WooCommerce store by `smartbill-apply/<connection>`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('smartbill_movements', (t) => {
    t.bigIncrements('id');
    t.text('connection_id').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** Movements of one call share it (the id of the call's first movement). */
    t.bigInteger('call_id').notNullable();
    /** 'receiver' (SmartBill called us) or 'pull' (`possync smartbill pull`). */
    t.text('source').notNullable().defaultTo('receiver');
    t.text('warehouse').notNullable();
    t.text('product_code').notNullable();
    t.text('product_name').notNullable();
    /** What identifies the product across calls: `code:<code>` or `name:<slug>`. */
    t.text('product_key').notNullable();
    /** The level to set (SmartBill's quantity truncated as WooCommerce does). */
    t.integer('quantity').notNullable();
    t.decimal('sent_quantity', 20, 6).notNullable();
    t.text('measuring_unit');
    /** null while pending; then applied, unchanged (a pull's level the shop already had), superseded, skipped, not_found, ambiguous, not_managed, not_owner, refused. */
    t.text('outcome');
    t.text('reason');
    t.integer('shop_product_id');
    t.integer('shop_variation_id');
    t.timestamp('settled_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX smartbill_movements_pending ON smartbill_movements (connection_id, id) WHERE outcome IS NULL');
  await knex.raw('CREATE INDEX smartbill_movements_key ON smartbill_movements (connection_id, product_key, id DESC)');

  /** Per product: the newest movement applied, so an older one never overwrites it (M-D8). */
  await knex.schema.createTable('smartbill_levels', (t) => {
    t.text('connection_id').notNullable();
    t.text('product_key').notNullable();
    t.bigInteger('movement_id').notNullable();
    t.integer('quantity').notNullable();
    t.integer('shop_product_id');
    t.integer('shop_variation_id');
    t.timestamp('written_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['connection_id', 'product_key']);
  });

  /** The WooCommerce shop's products and variations, for matching without a search per item (M-D1). */
  await knex.schema.createTable('smartbill_shop_items', (t) => {
    t.text('shop_connection_id').notNullable();
    t.integer('item_id').notNullable();
    /** The variable product of a variation; null for a product. */
    t.integer('parent_id');
    t.text('sku').notNullable();
    t.text('name_slug').notNullable();
    t.text('status').notNullable();
    /** true, false, or 'parent' (a variation whose stock its product manages). */
    t.text('manage_stock').notNullable();
    /** As last read or written; a pull compares with it after a refresh. */
    t.integer('stock_quantity');
    t.timestamp('modified_at', { useTz: true });
    t.primary(['shop_connection_id', 'item_id']);
  });
  await knex.raw('CREATE INDEX smartbill_shop_items_sku ON smartbill_shop_items (shop_connection_id, lower(sku)) WHERE sku <> \'\'');
  await knex.raw('CREATE INDEX smartbill_shop_items_slug ON smartbill_shop_items (shop_connection_id, name_slug)');
  /** The last manual pull per connection: at most one every 5 minutes unless forced (as the plugin allows). */
  await knex.schema.createTable('smartbill_pulls', (t) => {
    t.text('connection_id').primary();
    t.timestamp('pulled_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('smartbill_shop_index_state', (t) => {
    t.text('shop_connection_id').primary();
    /** The newest modification date read; the next refresh asks for what changed after it. */
    t.timestamp('modified_through', { useTz: true });
    t.timestamp('refreshed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('smartbill_shop_index_state');
  await knex.schema.dropTable('smartbill_pulls');
  await knex.schema.dropTable('smartbill_shop_items');
  await knex.schema.dropTable('smartbill_levels');
  await knex.schema.dropTable('smartbill_movements');
}
