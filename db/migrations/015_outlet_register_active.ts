import type { Knex } from 'knex';

/**
 * Issue 8 point 8: outlets and registers are created, renamed and deactivated through the API.
 * A deactivated register records no sales; rows are never deleted (sales and stock point at them).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outlets', (t) => {
    t.boolean('active').notNullable().defaultTo(true);
  });
  await knex.schema.alterTable('registers', (t) => {
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('registers', (t) => {
    t.dropColumn('created_at');
    t.dropColumn('active');
  });
  await knex.schema.alterTable('outlets', (t) => t.dropColumn('active'));
}
