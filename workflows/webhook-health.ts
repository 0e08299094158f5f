import { log, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { WebhookHealthInput, WebhookHealthReport } from './contracts/webhook-health';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // A store that is down is checked again by the next scheduled run; the CLI waits for this one.
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
});

/** Issue 6.11: one check of a connection's order webhooks (webhook-health/<connection>), started by its Schedule or `possync webhooks ensure`. */
export async function webhookHealth(input: WebhookHealthInput): Promise<WebhookHealthReport> {
  setCurrentDetails(`Checking the order webhooks of ${input.connectionId}`);
  const report = await acts.ensureOrderWebhooks(input);
  const changed = report.created.length + report.repaired.length + report.removed.length;
  if (changed > 0) log.info('webhooks created or repaired', { connectionId: input.connectionId, created: report.created.length, repaired: report.repaired.length, removed: report.removed.length });
  setCurrentDetails(`Order webhooks of ${input.connectionId} checked: ${report.created.length} created, ${report.repaired.length} repaired, ${report.removed.length} removed`);
  return report;
}
