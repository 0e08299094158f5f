import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import {
  webhookHealthScheduleId, webhookHealthWorkflowId, type WebhookHealthReport,
} from '../workflows/contracts/webhook-health';
import type { webhookHealth } from '../workflows/webhook-health';
import { upsertSchedule, type UpsertedSchedule } from './schedules';

/** Issue 6.11: a Schedule per connection that re-activates webhooks WooCommerce disabled after failed deliveries. */
export function ensureWebhookHealthSchedule(client: Client, taskQueue: string, connectionId: string, everySeconds: number): Promise<UpsertedSchedule> {
  return upsertSchedule<typeof webhookHealth>(client, {
    scheduleId: webhookHealthScheduleId(connectionId),
    spec: { intervals: [{ every: `${everySeconds}s` }] },
    action: { type: 'startWorkflow', workflowType: 'webhookHealth', taskQueue, args: [{ connectionId }], workflowId: webhookHealthWorkflowId(connectionId) },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute', pauseOnFailure: false },
    state: { note: 'keeps the order webhooks active (WooCommerce disables them after 7 failed deliveries in a row)' },
  });
}

/** Creates or repairs a connection's order webhooks now and returns what was done (npm start, `possync webhooks ensure`). */
export async function ensureWebhooksNow(client: Client, taskQueue: string, connectionId: string): Promise<WebhookHealthReport> {
  return client.workflow.execute<typeof webhookHealth>('webhookHealth', {
    workflowId: webhookHealthWorkflowId(connectionId),
    taskQueue,
    args: [{ connectionId, force: true }],
    // A scheduled check running at this moment answers for both.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

export function describeReport(r: WebhookHealthReport): string {
  const lines = [`webhooks of ${r.connectionId} deliver to ${r.deliveryUrl}`];
  for (const c of r.created) lines.push(`  created   ${c.topic} (id ${c.id})`);
  for (const x of r.repaired) lines.push(`  repaired  ${x.topic} (id ${x.id}): ${x.reasons.join(', ')}`);
  for (const x of r.removed) lines.push(`  removed   duplicate ${x.topic} (id ${x.id})`);
  for (const h of r.healthy) lines.push(`  healthy   ${h.topic} (id ${h.id})`);
  return lines.join('\n');
}

/** The endpoint of server/routes/woo-webhooks.ts for one connection. */
export function webhookDeliveryUrl(baseUrl: string, connectionId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/webhooks/woocommerce/${encodeURIComponent(connectionId)}`;
}
