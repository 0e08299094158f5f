import type { Knex } from 'knex';

/**
 * Issue 7 points 2, 5 and 12: pushes that are failing (per connection and product, cleared on
 * success), connections whose credentials the shop refuses, the runs of the reconciliation of
 * stranded pending marks, and the time a product's push became pending.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('push_failures', (t) => {
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.text('action').notNullable();
    t.timestamp('first_failed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_failed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('attempts').notNullable().defaultTo(1);
    t.text('last_error').notNullable();
    t.boolean('will_retry').notNullable();
    t.primary(['connection_id', 'product_id']);
  });
  await knex.schema.createTable('connection_blocks', (t) => {
    t.text('connection_id').primary().references('connections.id').onDelete('CASCADE');
    t.timestamp('blocked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('reason').notNullable();
    t.timestamp('last_probe_at', { useTz: true });
    t.text('last_probe_error');
  });
  await knex.schema.createTable('push_reconciliations', (t) => {
    t.bigIncrements('id');
    t.timestamp('ran_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('stranded').notNullable();
    t.specificType('product_ids', 'int[]').notNullable();
  });
  await knex.schema.alterTable('products', (t) => {
    t.timestamp('push_pending_since', { useTz: true });
  });
  // A trigger rather than every writer: whoever sets or clears the pending mark, its age is known.
  await knex.raw(`
    CREATE FUNCTION products_push_pending_since() RETURNS trigger AS $$
    BEGIN
      IF NEW.push_pending AND NOT COALESCE(OLD.push_pending, false) THEN
        NEW.push_pending_since := now();
      ELSIF NOT NEW.push_pending THEN
        NEW.push_pending_since := NULL;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await knex.raw(`
    CREATE TRIGGER products_push_pending_since BEFORE INSERT OR UPDATE OF push_pending ON products
      FOR EACH ROW EXECUTE FUNCTION products_push_pending_since()`);
  await knex.raw('UPDATE products SET push_pending_since = now() WHERE push_pending');
  await knex.raw('CREATE INDEX products_pending_since ON products (push_pending_since) WHERE push_pending');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER products_push_pending_since ON products');
  await knex.raw('DROP FUNCTION products_push_pending_since()');
  await knex.schema.alterTable('products', (t) => t.dropColumn('push_pending_since'));
  await knex.schema.dropTable('push_reconciliations');
  await knex.schema.dropTable('connection_blocks');
  await knex.schema.dropTable('push_failures');
}
