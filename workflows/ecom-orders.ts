import { proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import type { EcomOrderPollInput } from './contracts/ecom-orders';
import type { OrderPollResult } from './contracts/order-sync';
import { loopPoll, pollForever } from './order-maintenance';

// One order's reads and apply take seconds, heartbeating: a killed worker costs the heartbeat timeout; safe to repeat, so retried without limit.
const syncActs = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// The webhook check must not hold the polls up: a few tries, then the next run tries again.
const hookActs = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 3 },
});

/** M-C7: one eCom order named by a webhook (id ecom-order-sync/<connection>/<order>/<delivery hash>), read fresh and applied once. */
export async function ecomOrderSync(input: { connectionId: string; orderId: number }) {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  setCurrentDetails(`Reading eCom order ${input.orderId} from ${input.connectionId} and applying it`);
  const r = await syncActs.syncEcomOrders({ connectionId: input.connectionId, orderIds: [input.orderId] });
  const outcome = r.failed > 0 ? `failed: ${r.failures.map((f) => f.reason).join('; ')}` : r.imported > 0 ? `applied, ${r.deducted} units deducted` : `skipped (nothing to change), ${r.deducted} units deducted`;
  setCurrentDetails(`eCom order ${input.orderId}: ${outcome}`);
  return r;
}

/**
 * M-C7: the eCom orders' safety net, one long-lived workflow per connection
 * (ecom-order-poll/<connection>): orders updated since its cursor (updated_at_min, with an
 * overlap), every `everySeconds`; a shop outage or a 429 is shown and tried at the next poll, never
 * a failure. With `publicUrl` it also keeps the shop's order webhook pointing at this installation.
 */
export async function ecomOrderPoll(input: EcomOrderPollInput): Promise<OrderPollResult> {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  const { connectionId, publicUrl } = input;
  return pollForever(
    input,
    (cursor) => loopPoll.pollEcomOrders({ connectionId, updatedAfter: cursor }),
    publicUrl ? () => hookActs.ensureEcomOrderWebhook({ connectionId, publicUrl }) : undefined,
  );
}
