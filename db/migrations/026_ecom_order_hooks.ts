import type { Knex } from 'knex';

/**
 * Issue 10 point 7: eCom order webhooks carry no signature, so each eCom connection's delivery
 * address holds a secret token (/webhooks/ecom/<connection>?token=…), generated once and kept
 * here so that every API and worker process checks and registers the same one. `webhook_id` is
 * the shop's webhook this connection registered at that address (null until it is ensured).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ecom_order_hooks', (t) => {
    t.text('connection_id').primary().references('connections.id').onDelete('CASCADE');
    t.text('token').notNullable();
    t.bigInteger('webhook_id');
    t.text('address');
    t.timestamp('ensured_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ecom_order_hooks');
}
