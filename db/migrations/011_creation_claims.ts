import type { Knex } from 'knex';

/**
 * Issue 6 point 4 with batched creates: a creation CLAIM per (connection, product). An unsettled
 * product create (shop_creations state 'sent', kind 'product') is the claim, and at most one may
 * exist, so whichever creator (the catalog sync's batch or the product's own push) records its
 * create first is the only one that may send it; the other waits for it to settle and adopts.
 * `creator` says who holds it: a product-push waits for a catalog sync's claim to be settled.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('shop_creations', (t) => {
    t.text('creator').notNullable().defaultTo('product_push').checkIn(['product_push', 'catalog_sync']);
  });
  // Older unsettled creates of one product: the latest stands for them (the wait runs from the latest).
  await knex.raw(
    `UPDATE shop_creations s SET state = 'superseded', settled_at = now()
      WHERE s.state = 'sent' AND s.kind = 'product'
        AND EXISTS (SELECT 1 FROM shop_creations t WHERE t.connection_id = s.connection_id AND t.product_id = s.product_id
                       AND t.kind = 'product' AND t.state = 'sent' AND t.id > s.id)`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX shop_creations_one_claim ON shop_creations (connection_id, product_id) WHERE state = 'sent' AND kind = 'product'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX shop_creations_one_claim');
  await knex.schema.alterTable('shop_creations', (t) => t.dropColumn('creator'));
}
