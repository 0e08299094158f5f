import type { Knex } from 'knex';
import * as m001 from './001_pos_schema';
import * as m002 from './002_orders_and_backups';
import * as m003 from './003_batch_push_queue';
import * as m004 from './004_remote_media';
import * as m005 from './005_shop_creations';
import * as m006 from './006_shop_seeded_items';
import * as m007 from './007_idempotency_keys';
import * as m008 from './008_import_run_pages';
import * as m009 from './009_push_failures';
import * as m011 from './011_creation_claims';
import * as m012 from './012_connection_checks';
import * as m015 from './015_outlet_register_active';
import * as m016 from './016_api_tokens';
import * as m017 from './017_smartbill_ledger';
import * as m019 from './019_connection_outlets';
import * as m020 from './020_pushed_stock';
import * as m021 from './021_stock_aggregation';
import * as m022 from './022_ecom_written';
import * as m023 from './023_ecom_write_queue';
import * as m024 from './024_push_pending_changed';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

/** Migrations listed in code, so they run the same under ts-node, compiled, or bundled. */
const migrations: Record<string, Migration> = {
  '001_pos_schema': m001,
  '002_orders_and_backups': m002,
  '003_batch_push_queue': m003,
  '004_remote_media': m004,
  '005_shop_creations': m005,
  '006_shop_seeded_items': m006,
  '007_idempotency_keys': m007,
  '008_import_run_pages': m008,
  '009_push_failures': m009,
  '011_creation_claims': m011,
  '012_connection_checks': m012,
  '015_outlet_register_active': m015,
  '016_api_tokens': m016,
  '017_smartbill_ledger': m017,
  '019_connection_outlets': m019,
  '020_pushed_stock': m020,
  '021_stock_aggregation': m021,
  '022_ecom_written': m022,
  '023_ecom_write_queue': m023,
  '024_push_pending_changed': m024,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const m = migrations[name];
    if (!m) throw new Error(`Unknown migration ${name}`);
    return m;
  },
};
