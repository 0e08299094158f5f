export { productPush } from './product-push';
export { batchPush } from './batch-push';
export { catalogSync } from './catalog-sync';
export { orderImport } from './order-import';
export { restoreBackup, reimportOrders, orderSync, orderPoll } from './order-maintenance';
export { webhookHealth } from './webhook-health';
export { reconcilePushes } from './reconcile';
export { shopItemAction } from './shop-item';
export { connectionCheck, connectionsOverview, connectionsReload } from './connections';
