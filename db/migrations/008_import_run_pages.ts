import type { Knex } from 'knex';

/**
 * What each page of an import run committed, written in the page's own transaction (issue 7.4).
 * The run's progress figures are the sums of these rows, so a page whose activity result was
 * lost (a worker killed after the commit) still counts what it deducted when it is retried.
 * `cursor_key` names the page by the cursor it was read after, so a retry updates its own row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_run_pages', (t) => {
    t.bigInteger('import_run_id').notNullable().references('import_runs.id').onDelete('CASCADE');
    t.text('cursor_key').notNullable();
    t.bigInteger('last_order_id');
    t.integer('orders').notNullable();
    t.integer('imported').notNullable();
    t.integer('skipped').notNullable();
    t.integer('failed').notNullable();
    // Added up over attempts: a retry links, creates and deducts only what the first attempt did not.
    t.integer('linked').notNullable();
    t.integer('created').notNullable();
    t.bigInteger('deducted').notNullable();
    t.integer('attempts').notNullable().defaultTo(1);
    t.timestamp('committed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['import_run_id', 'cursor_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('import_run_pages');
}
