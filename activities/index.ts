import type { Db } from '../db/connection';
import { heartbeating } from './heartbeat';
import { createBackupActivities } from './pos/backups';
import { createImportRunActivities } from './pos/import-runs';
import { createPosPushActivities } from './pos/push-activities';
import { createShopItemActivities } from './pos/shop-item-actions';
import { createBatchPushActivities } from './woocommerce/batch-push';
import { createConnectionHealthActivities } from './woocommerce/connection-health';
import { createConnectionCheckActivities, type ConnectionsReloader } from './woocommerce/connection-check-activities';
import { createCatalogSyncActivities } from './woocommerce/catalog-sync';
import { createOrderImportActivities } from './woocommerce/order-import';
import { createOrderSyncActivities } from './woocommerce/order-sync';
import { createProductPushActivities, type WooClients } from './woocommerce/product-push';
import { createWebhookHealthActivities, type WebhookTargets } from './woocommerce/webhook-health';
import { createShopViewActivities } from './woocommerce/shop-view';
import { createDriftScanActivities } from './woocommerce/drift-scan';
import { createDriftRepairActivities } from './woocommerce/drift-repair';
import type { CreationTiming } from './woocommerce/shop-creations';
import { createSmartBillApplyActivities } from './smartbill/apply';
import { createSmartBillOperatorActivities } from './smartbill/operator';
import { SmartBillRegistry } from './smartbill/registry';
import type { EcomRegistry } from './ecom/registry';
import { createEcomWriterActivities } from './ecom/writer-activities';
import { createEcomCatalogSyncActivities } from './ecom/catalog-sync';
import { createStockAggregationActivities } from './aggregation/activities';

export interface ActivityDeps {
  db: Db;
  woo: WooClients;
  /** Delivery URL and secret of each connection's webhooks (issue 6.11). */
  webhookTargets?: WebhookTargets;
  /** How long a create whose answer was lost may still land (issue 6 point 3). */
  creationTiming?: CreationTiming;
  /** SmartBill connections (token, warehouse, target shop) of this process (issue 12). */
  smartbill?: SmartBillRegistry;
  /** Lightspeed eCom connections (key, secret, language, budget limits) of this process (issue 10). */
  ecom?: EcomRegistry;
  /** npm start's `possync connections reload` (issue 9). */
  connectionsReloader?: ConnectionsReloader;
}

const SAGA_STEPS = [
  'createRemoteParent', 'upsertRemoteVariations', 'linkRemoteProduct', 'deleteRemoteProduct', 'deleteRunVariations', 'removeDuplicateCreations',
] as const;

/** Every activity the workers run; workflows type their proxies from this factory's return type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPosPushActivities(deps.db),
    ...createImportRunActivities(deps.db),
    ...createBackupActivities(deps.db),
    // The saga's steps heartbeat, so a killed worker costs their heartbeat timeout, not 2 minutes (issue 7 point 9).
    ...heartbeating(createProductPushActivities(deps), SAGA_STEPS),
    ...createBatchPushActivities(deps),
    ...createCatalogSyncActivities(deps),
    ...createOrderImportActivities(deps),
    ...createOrderSyncActivities(deps),
    ...createWebhookHealthActivities(deps),
    ...createConnectionHealthActivities(deps),
    ...createConnectionCheckActivities(deps),
    ...createShopItemActivities(deps.db),
    ...createShopViewActivities(deps),
    ...createSmartBillApplyActivities({ db: deps.db, woo: deps.woo, smartbill: deps.smartbill ?? new SmartBillRegistry() }),
    ...createSmartBillOperatorActivities({ db: deps.db, smartbill: deps.smartbill ?? new SmartBillRegistry() }),
    ...createDriftScanActivities(deps),
    ...createDriftRepairActivities(deps),
    ...createEcomWriterActivities(deps),
    ...createEcomCatalogSyncActivities(deps),
    ...createStockAggregationActivities(deps.db),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { WooClients, WebhookTargets };
