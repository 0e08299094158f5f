import { ScheduleNotFoundError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { orderPollScheduleId } from '../workflows/contracts/order-sync';
import { webhookHealthScheduleId } from '../workflows/contracts/webhook-health';
import { ensureOrderPoll } from './order-sync-starter';
import { ensureWebhookHealthSchedule } from './webhook-health-starter';
import { removeStockAggregationSchedule } from './stock-aggregation-schedule';

export interface ScheduleDefaults {
  orderPollSeconds: number;
  webhookCheckSeconds: number;
}

/** A connection's own `order_poll_seconds` / `webhook_check_seconds` setting, else the global one. */
export function connectionIntervals(settings: Record<string, unknown>, d: ScheduleDefaults): ScheduleDefaults {
  const own = (key: string, fallback: number) => {
    const v = Number(settings[key]);
    return Number.isInteger(v) && v >= 5 ? v : fallback;
  };
  return { orderPollSeconds: own('order_poll_seconds', d.orderPollSeconds), webhookCheckSeconds: own('webhook_check_seconds', d.webhookCheckSeconds) };
}

/** An active WooCommerce connection's schedules (order poll, webhook health), brought to its settings. */
export async function ensureConnectionSchedules(client: Client, taskQueue: string, connectionId: string, every: ScheduleDefaults): Promise<void> {
  await ensureOrderPoll(client, taskQueue, connectionId, every.orderPollSeconds);
  await ensureWebhookHealthSchedule(client, taskQueue, connectionId, every.webhookCheckSeconds);
}

/** A deactivated connection polls and checks nothing; its schedules come back when it is configured again. */
export async function removeConnectionSchedules(client: Client, connectionId: string): Promise<void> {
  for (const id of [orderPollScheduleId(connectionId), webhookHealthScheduleId(connectionId)]) {
    await client.schedule.getHandle(id).delete().catch((err) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
  }
  await removeStockAggregationSchedule(client, connectionId);
  // An order poll that runs as one long-lived workflow under the same id (issue 8 point 7) ends too.
  await client.workflow.getHandle(orderPollScheduleId(connectionId)).cancel().catch((err) => {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  });
}
