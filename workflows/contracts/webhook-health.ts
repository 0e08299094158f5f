/** Ids and shapes of the webhook health check (issue 6.11): possync keeps its order webhooks in the shop active. */
export const ORDER_WEBHOOK_TOPICS = ['order.created', 'order.updated'] as const;
export type OrderWebhookTopic = (typeof ORDER_WEBHOOK_TOPICS)[number];

export const webhookHealthScheduleId = (connectionId: string): string => `webhook-health/${connectionId}`;
/**
 * `possync webhooks ensure` runs under this id (concurrent calls share one run); a scheduled check gets it with the
 * scheduled time appended. Two runs at once at worst both create a webhook: the next check removes the duplicate.
 */
export const webhookHealthWorkflowId = (connectionId: string): string => `webhook-health/${connectionId}`;

export interface WebhookHealthInput {
  connectionId: string;
  /** Also re-send the secret to webhooks that look healthy (the shop never shows a secret; npm start may have a new one). */
  force?: boolean;
}

export interface WebhookRepair {
  id: number;
  topic: string;
  /** What was wrong: 'disabled', 'paused' or 'delivery_url'. */
  reasons: string[];
}

export interface WebhookHealthReport {
  connectionId: string;
  deliveryUrl: string;
  created: { id: number; topic: string }[];
  repaired: WebhookRepair[];
  /** Extra possync webhooks of a topic (each would deliver every event again). */
  removed: { id: number; topic: string }[];
  healthy: { id: number; topic: string }[];
}
