// SmartBill Cloud sandbox: the stock API (`/stocks`, `/company/warehouses`, `/stocks/ecom`) and
// SmartBill's calls to a shop's stock receiver (apis.md §3, §5).
export { startSmartBillSandbox } from './server';
export { sendStockCall } from './movements';
export type * from './types';
