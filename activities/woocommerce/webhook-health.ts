import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { writeSyncLog } from '../pos/sync-log';
import { recordWebhookState } from '../pos/connection-checks';
import type { WooClient, WooWebhook } from './client';
import type { WooClients } from './product-push';
import { withWooErrors } from './product-push';
import {
  ORDER_WEBHOOK_TOPICS, type WebhookHealthInput, type WebhookHealthReport, type WebhookRepair,
} from '../../workflows/contracts/webhook-health';

/** Where a connection's webhooks must deliver and the secret they must sign with; resolved in the worker, never in a workflow history. */
export interface WebhookTarget {
  deliveryUrl: string;
  secret: string;
}
export type WebhookTargets = (connectionId: string) => WebhookTarget | undefined;

/** The name marks a webhook as this connection's, whatever its delivery URL has become. */
export const webhookName = (connectionId: string, topic: string): string => `possync ${connectionId} ${topic}`;

/** Ours: named by possync for this connection, or delivering to its endpoint (webhooks made by hand from the old README). */
function isOurs(w: WooWebhook, connectionId: string, target: WebhookTarget): boolean {
  return w.delivery_url === target.deliveryUrl || w.name === webhookName(connectionId, w.topic);
}

export interface WebhookPlan {
  create: string[];
  repair: WebhookRepair[];
  remove: { id: number; topic: string }[];
  healthy: { id: number; topic: string }[];
  /** Healthy ones whose secret is sent again (forced runs: the shop never shows a secret). */
  rekey: { id: number; topic: string }[];
}

/**
 * What to do so that exactly one active webhook per order topic delivers to the target. WooCommerce
 * disables a webhook after its 7th failed delivery in a row (WC_Webhook::failed_delivery: a failure with
 * failure_count already above 5) and never re-enables it by itself.
 */
export function planWebhooks(existing: WooWebhook[], connectionId: string, target: WebhookTarget, force: boolean): WebhookPlan {
  const plan: WebhookPlan = { create: [], repair: [], remove: [], healthy: [], rekey: [] };
  for (const topic of ORDER_WEBHOOK_TOPICS) {
    const mine = existing.filter((w) => w.topic === topic && isOurs(w, connectionId, target)).sort((a, b) => score(b, target) - score(a, target) || a.id - b.id);
    const [keep, ...extra] = mine;
    for (const w of extra) plan.remove.push({ id: w.id, topic });
    if (!keep) {
      plan.create.push(topic);
      continue;
    }
    const reasons: string[] = [];
    if (keep.status !== 'active') reasons.push(keep.status);
    if (keep.delivery_url !== target.deliveryUrl) reasons.push('delivery_url');
    if (reasons.length > 0) plan.repair.push({ id: keep.id, topic, reasons });
    else {
      plan.healthy.push({ id: keep.id, topic });
      if (force) plan.rekey.push({ id: keep.id, topic });
    }
  }
  return plan;
}

/** Prefer keeping the webhook that needs the least repair. */
function score(w: WooWebhook, target: WebhookTarget): number {
  return (w.status === 'active' ? 2 : 0) + (w.delivery_url === target.deliveryUrl ? 1 : 0);
}

export function createWebhookHealthActivities(deps: { db: Db; woo: WooClients; webhookTargets?: WebhookTargets }) {
  return {
    /** Creates or repairs the connection's order webhooks, and reports every change in the sync log and the worker log. */
    async ensureOrderWebhooks(input: WebhookHealthInput): Promise<WebhookHealthReport> {
      const target = deps.webhookTargets?.(input.connectionId);
      if (!target) {
        throw ApplicationFailure.nonRetryable(
          `no webhook delivery URL and secret are configured for ${input.connectionId} (WOO_WEBHOOK_SECRET, POSSYNC_PUBLIC_URL)`,
          'WebhookTargetMissing',
        );
      }
      return withWooErrors(async () => {
        const report = await repairOrderWebhooks(deps.woo.get(input.connectionId), input.connectionId, target, input.force ?? false);
        await record(deps.db, report);
        await recordWebhookState(deps.db, report);
        return report;
      });
    },
  };
}

/** The shop side of a check: reads the store's webhooks and creates, repairs or removes until the plan holds. */
export async function repairOrderWebhooks(client: WooClient, connectionId: string, target: WebhookTarget, force: boolean): Promise<WebhookHealthReport> {
  const plan = planWebhooks(await client.listWebhooks(), connectionId, target, force);
  const report: WebhookHealthReport = { connectionId, deliveryUrl: target.deliveryUrl, created: [], repaired: plan.repair, removed: plan.remove, healthy: plan.healthy };
  for (const topic of plan.create) {
    const w = await client.createWebhook({ name: webhookName(connectionId, topic), topic, delivery_url: target.deliveryUrl, secret: target.secret, status: 'active' });
    report.created.push({ id: w.id, topic });
  }
  for (const r of [...plan.repair, ...plan.rekey]) {
    await client.updateWebhook(r.id, { name: webhookName(connectionId, r.topic), status: 'active', delivery_url: target.deliveryUrl, secret: target.secret });
  }
  for (const r of plan.remove) await client.deleteWebhook(r.id);
  return report;
}

async function record(db: Db, report: WebhookHealthReport): Promise<void> {
  const entries = [
    ...report.created.map((c) => ({ action: 'webhooks.create', message: `created the ${c.topic} webhook (id ${c.id})`, details: c })),
    ...report.repaired.map((r) => ({ action: 'webhooks.repair', message: `repaired the ${r.topic} webhook (id ${r.id}): ${r.reasons.join(', ')}`, details: { ...r } })),
    ...report.removed.map((r) => ({ action: 'webhooks.remove', message: `removed a duplicate ${r.topic} webhook (id ${r.id})`, details: r })),
  ];
  for (const e of entries) {
    // A disabled webhook means live orders were only caught by the poll meanwhile: worth a warning.
    if (e.action === 'webhooks.repair' && /disabled|paused/.test(e.message)) log.warn(`${report.connectionId}: ${e.message}`);
    else log.info(`${report.connectionId}: ${e.message}`);
  }
  await writeSyncLog(db, entries.map((e) => ({ connectionId: report.connectionId, action: e.action, status: 'ok' as const, message: e.message, details: e.details as Record<string, unknown> })));
}
