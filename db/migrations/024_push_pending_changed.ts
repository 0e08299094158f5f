import type { Knex } from 'knex';

/**
 * Issue 10: a change committed while a product's push is already pending writes no outbox row
 * (change-feed.ts), so the push dispatcher never routes it to the eCom writers. `push_pending_changed`
 * says such a change happened; the claim that ends the pending period queues the product for eCom
 * then, and only then (a claim with nothing unrouted queues nothing).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.boolean('push_pending_changed').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.dropColumn('push_pending_changed');
  });
}
