export { productPush } from './product-push';
export { batchPush } from './batch-push';
export { catalogSync } from './catalog-sync';
export { orderImport } from './order-import';
export { restoreBackup, reimportOrders, orderSync, orderPoll } from './order-maintenance';
export { shopItemAction } from './shop-item';
