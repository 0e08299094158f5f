import type { Knex } from 'knex';

/**
 * Issue 9 "A locked door": bearer tokens of the POS API. Only the SHA-256 of a token is kept;
 * the token itself is shown once, when it is created. A revoked token keeps its row (who had what).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id');
    t.text('name').notNullable().unique();
    t.text('role').notNullable().checkIn(['till', 'admin']);
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_tokens');
}
