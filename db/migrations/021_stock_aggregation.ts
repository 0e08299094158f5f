import type { Knex } from 'knex';

/**
 * Issue 11: the periodic stock aggregation's state per connection. An incremental run compares
 * the items whose stock moved in (previous_watermark, max(stock_movements.id)]: the window of the
 * run before is read again, so a movement that took its id before a run read the maximum but
 * committed after it is still seen. A full pass walks every linked product in id ranges; its
 * cursor and running counts live here, so a pass whose worker was killed resumes where it was.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stock_aggregation_state', (t) => {
    t.text('connection_id').primary().references('connections.id').onDelete('CASCADE');
    t.bigInteger('watermark').notNullable().defaultTo(0);
    t.bigInteger('previous_watermark').notNullable().defaultTo(0);
    t.timestamp('last_run_at', { useTz: true });
    t.integer('last_run_compared');
    t.integer('last_run_differed');
    t.integer('last_run_queued');
    // The full pass under way: products with an id above the cursor are still to compare.
    t.integer('full_cursor');
    t.timestamp('full_started_at', { useTz: true });
    t.integer('full_compared').notNullable().defaultTo(0);
    t.integer('full_differed').notNullable().defaultTo(0);
    t.integer('full_queued').notNullable().defaultTo(0);
    t.timestamp('last_full_at', { useTz: true });
    t.integer('last_full_compared');
    t.integer('last_full_differed');
    t.integer('last_full_queued');
    // The shop-side comparison of the last full pass (settings.drift_check): its report and counts.
    t.bigInteger('last_drift_report_id');
    t.jsonb('last_drift_counts');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('stock_aggregation_state');
}
