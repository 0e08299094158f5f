import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../../bench/cluster';
import { startWooSandbox, type WooSandbox } from '../../sandbox/woocommerce';
import { subjectOfWorkflowId } from '../../stack/log-subject';
import { webhookHealthWorkflowId } from '../../workflows/contracts/webhook-health';
import type { webhookHealth } from '../../workflows/webhook-health';
import { sampleValue } from '../helpers/prometheus-text';
import { waitFor } from '../helpers/shop';
import { testStack } from '../helpers/test-stack';
import { workflowBundleForTests } from '../helpers/workflow-bundle';

/** Issue 9: a standalone worker's own /metrics (possync_* and the Temporal SDK's), and log lines naming what they are about. */
describe('standalone worker: metrics and log lines', function () {
  this.timeout(300_000);
  let cluster: Cluster | undefined;
  let shop: WooSandbox | undefined;
  after(async () => {
    await cluster?.stop();
    await shop?.close();
  });

  it('serves possync_* and temporal_* at WORKER_METRICS_ADDRESS, and its JSON lines carry the workflow id and the connection', async () => {
    const stack = await testStack();
    shop = await startWooSandbox();
    const connectionId = `wmetrics-${process.pid}-${Date.now() % 100000}`;
    const taskQueue = `worker-metrics-${connectionId}`;
    cluster = await startCluster({
      apis: 0, workers: 1, databaseUrl: stack.databaseUrl, temporalAddress: stack.temporalAddress, taskQueue,
      workflowBundle: await workflowBundleForTests(),
      shop: { connectionId, url: shop.url, key: shop.consumerKey, secret: shop.consumerSecret },
      env: { WOO_WEBHOOK_SECRET: 'worker-metrics-secret', POSSYNC_PUBLIC_URL: stack.httpUrl },
    });
    const workflowId = webhookHealthWorkflowId(connectionId);
    const report = await stack.client.workflow.execute<typeof webhookHealth>('webhookHealth', { workflowId, taskQueue, args: [{ connectionId }] });
    assert.equal(report.created.length, 2);

    const text = await waitFor('the SDK metrics', async () => {
      const t = await (await fetch(cluster!.workerMetrics[0]!)).text();
      return /^temporal_\w+/m.test(t) && t;
    });
    assert.ok(sampleValue(text, 'possync_shop_requests_total', { connection: connectionId, status: '201' }) >= 2, 'the two webhook creates');
    assert.ok(sampleValue(text, 'temporal_activity_execution_latency_count') + sampleValue(text, 'temporal_activity_execution_latency_seconds_count') >= 1);

    // The worker's log lines reach us through its stdout pipe, possibly after the workflow's result.
    const aboutWebhooks = () => cluster!.processes[0]!.lines.map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => typeof l.msg === 'string' && (l.msg as string).includes('webhook'));
    const about = await waitFor('activity and workflow lines about the webhooks', () => (aboutWebhooks().length >= 3 ? aboutWebhooks() : undefined));
    for (const l of about) assert.deepEqual([l.workflowId, l.connection], [workflowId, connectionId], JSON.stringify(l));
  });

  it('reads the subject of a line from the workflow id when the line does not name it', () => {
    assert.deepEqual(subjectOfWorkflowId('product-push/42'), { productId: 42 });
    assert.deepEqual(subjectOfWorkflowId('batch-push/woo-main'), { connection: 'woo-main' });
    assert.deepEqual(subjectOfWorkflowId('order-poll/woo-nl-2026-11-29T18:00:00Z'), { connection: 'woo-nl' });
    assert.deepEqual(subjectOfWorkflowId('order-sync/woo-be/1234/abcdef'), { connection: 'woo-be' });
    assert.deepEqual(subjectOfWorkflowId('shop-item/woo-main/7/restore'), { connection: 'woo-main', productId: 7 });
    assert.deepEqual(subjectOfWorkflowId('reconcile-pushes'), {});
  });
});
