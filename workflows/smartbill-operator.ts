import { proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SmartBillCheck } from '../activities/smartbill/operator';
import { SA } from './contracts/search-attributes';
import { UNLIMITED_RETRY } from './contracts/retry';
import { smartbillPullProgressQuery, type SmartBillPullResult } from './contracts/smartbill-apply';

const once = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } });
const apply = proxyActivities<Activities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '15 seconds', retry: UNLIMITED_RETRY });

/** `possync smartbill test <connection>` (M-D6): SmartBill's API accepts the credentials, and its warehouses. */
export async function smartbillCheck(input: { connectionId: string }): Promise<SmartBillCheck> {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  return once.checkSmartBill(input);
}

/**
 * `possync smartbill pull <connection>` (M-D7): the warehouse's current stock from SmartBill, applied like
 * received movements but writing only what the shop does not already show; at most once every 5 minutes
 * unless forced.
 */
export async function smartbillPull(input: { connectionId: string; force: boolean }): Promise<SmartBillPullResult> {
  let progress = 'asking SmartBill for the warehouse stock';
  setHandler(smartbillPullProgressQuery, () => progress);
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  setCurrentDetails(progress);
  const start = await once.pullSmartBillStock(input);
  if (!start.started) {
    setCurrentDetails(`not pulled: the last pull was less than 5 minutes ago (next at ${start.nextAllowedAt}); --force pulls anyway`);
    return { pulled: false, nextAllowedAt: start.nextAllowedAt };
  }
  progress = `${start.items} items from SmartBill; writing what differs to WooCommerce`;
  setCurrentDetails(progress);
  for (;;) {
    const r = await apply.applySmartBillMovements({ connectionId: input.connectionId });
    if (!r.more) break;
  }
  const outcomes = start.callId === undefined ? {} : await once.smartbillCallReport({ connectionId: input.connectionId, callId: start.callId });
  progress = `done: ${Object.entries(outcomes).map(([k, n]) => `${n} ${k}`).join(', ') || 'SmartBill has no stock in the warehouse'}`;
  setCurrentDetails(progress);
  return { pulled: true, items: start.items, outcomes };
}
