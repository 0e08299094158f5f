import type { Db } from '../db/connection';
import { createBackupActivities } from './pos/backups';
import { createImportRunActivities } from './pos/import-runs';
import { createPosPushActivities } from './pos/push-activities';
import { createShopItemActivities } from './pos/shop-items';
import { createBatchPushActivities } from './woocommerce/batch-push';
import { createCatalogSyncActivities } from './woocommerce/catalog-sync';
import { createOrderImportActivities } from './woocommerce/order-import';
import { createOrderSyncActivities } from './woocommerce/order-sync';
import { createProductPushActivities, type WooClients } from './woocommerce/product-push';
import type { CreationTiming } from './woocommerce/shop-creations';

export interface ActivityDeps {
  db: Db;
  woo: WooClients;
  /** How long a create whose answer was lost may still land (issue 6 point 3). */
  creationTiming?: CreationTiming;
}

/** Every activity the workers run; workflows type their proxies from this factory's return type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPosPushActivities(deps.db),
    ...createImportRunActivities(deps.db),
    ...createBackupActivities(deps.db),
    ...createProductPushActivities(deps),
    ...createBatchPushActivities(deps),
    ...createCatalogSyncActivities(deps),
    ...createOrderImportActivities(deps),
    ...createOrderSyncActivities(deps),
    ...createShopItemActivities(deps.db),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { WooClients };
