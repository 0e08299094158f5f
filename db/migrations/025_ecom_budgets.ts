import type { Knex } from 'knex';

/**
 * Issue 10 point 5: the request budget of an eCom shop key, shared by every worker process.
 * One row per budget key (the API host and a hash of the key, never the key): the state of
 * activities/ecom/budget-state.ts as jsonb, with the requests in flight as leases (id, expiry) and
 * the best priority each process is waiting with, so one short `SELECT … FOR UPDATE` decides.
 * `ecom_budget_connections` says which budget a connection spends, for `possync budget`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ecom_budgets', (t) => {
    t.text('budget_key').primary();
    t.jsonb('state').notNullable();
    t.jsonb('limits').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('ecom_budget_connections', (t) => {
    t.text('connection_id').primary().references('connections.id').onDelete('CASCADE');
    t.text('budget_key').notNullable().references('ecom_budgets.budget_key').onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ecom_budget_connections');
  await knex.schema.dropTable('ecom_budgets');
}
