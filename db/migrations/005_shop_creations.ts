import type { Knex } from 'knex';

/**
 * Issue 6 points 3 and 6, issue 7 point 5.
 * - shop_creations: every create sent to a shop, recorded before it is sent, with the creation key
 *   it carries in its meta. A create whose answer was lost stays `sent`: the next attempt looks for
 *   what it made, and waits for it to land, before it may create again.
 * - product_links.shop_state: 'trashed' when the merchant trashed the product in the shop (pushes
 *   leave it alone), 'restore' when the operator asked to untrash it with the next push.
 * - sync_log statuses 'trashed' and 'compensation_failed'.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('shop_creations', (t) => {
    t.bigIncrements('id');
    t.text('connection_id').notNullable().references('connections.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.text('kind').notNullable().checkIn(['product', 'variations']);
    t.text('create_key').notNullable().unique();
    t.text('run_id').notNullable();
    t.text('state').notNullable().defaultTo('sent').checkIn(['sent', 'done', 'refused', 'superseded']);
    t.bigInteger('remote_id');
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('settled_at', { useTz: true });
    t.index(['connection_id', 'product_id', 'kind', 'state']);
  });
  await knex.schema.alterTable('product_links', (t) => {
    t.text('shop_state').checkIn(['trashed', 'restore']);
    t.timestamp('shop_state_at', { useTz: true });
  });
  const checks: { conname: string }[] = (
    await knex.raw(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'sync_log'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'`,
    )
  ).rows;
  for (const c of checks) await knex.raw('ALTER TABLE sync_log DROP CONSTRAINT ??', [c.conname]);
  await knex.raw(
    `ALTER TABLE sync_log ADD CONSTRAINT sync_log_status_check
       CHECK (status IN ('ok', 'failed', 'compensated', 'skipped', 'trashed', 'compensation_failed'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE sync_log DROP CONSTRAINT sync_log_status_check');
  await knex.raw(`DELETE FROM sync_log WHERE status IN ('trashed', 'compensation_failed')`);
  await knex.raw(`ALTER TABLE sync_log ADD CONSTRAINT sync_log_status_check CHECK (status IN ('ok', 'failed', 'compensated', 'skipped'))`);
  await knex.schema.alterTable('product_links', (t) => {
    t.dropColumn('shop_state');
    t.dropColumn('shop_state_at');
  });
  await knex.schema.dropTable('shop_creations');
}
