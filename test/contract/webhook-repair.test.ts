import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { WooSandbox } from '../../sandbox/woocommerce';
import { repairOrderWebhooks, type WebhookTarget } from '../../activities/woocommerce/webhook-health';
import { woo } from '../sandbox/helpers/woo-http';
import { useWebhookContractStore } from '../helpers/suite-setup';

/**
 * Issue 6.11 against a store (sandbox in CI, a real one with WOO_CONTRACT_URL/KEY/SECRET and
 * WOO_CONTRACT_RIG_DIR): possync's webhooks, disabled by WooCommerce while possync answered errors,
 * are found and re-activated by the same code the webhook-health check runs, and deliver again.
 */
describe('contract: order webhooks created and repaired after an outage (issue 6.11)', function () {
  this.timeout(300_000);
  const { store, rx } = useWebhookContractStore();
  let target: WebhookTarget;
  const connectionId = 'contract';

  before(() => {
    target = { deliveryUrl: `${rx.url}/webhooks/woocommerce/${connectionId}`, secret: crypto.randomBytes(12).toString('hex') };
  });

  const order = async (): Promise<void> => {
    const o = await woo(store as unknown as WooSandbox, { method: 'POST', path: '/orders', body: { status: 'pending' }, timeoutMs: 120_000 });
    assert.equal(o.status, 201, o.text);
    await store.settleWebhooks();
  };
  const statuses = async () => Object.fromEntries((await store.client().listWebhooks()).map((w) => [w.topic, w.status]));

  it('creates both, and after 7 failed deliveries (WooCommerce disabled them) re-activates both; deliveries are signed with the secret', async () => {
    const created = await repairOrderWebhooks(store.client(), connectionId, target, false);
    assert.deepEqual(created.created.map((c) => c.topic).sort(), ['order.created', 'order.updated']);
    assert.deepEqual(await statuses(), { 'order.created': 'active', 'order.updated': 'active' });

    rx.answer(503);
    for (let i = 0; i < 7; i++) await order();
    assert.deepEqual(await statuses(), { 'order.created': 'disabled', 'order.updated': 'disabled' });

    rx.answer(200);
    const repaired = await repairOrderWebhooks(store.client(), connectionId, target, false);
    assert.deepEqual(repaired.repaired.map((r) => `${r.topic}:${r.reasons.join(',')}`).sort(), ['order.created:disabled', 'order.updated:disabled']);
    assert.deepEqual(await statuses(), { 'order.created': 'active', 'order.updated': 'active' });

    const before = rx.received.length;
    await order();
    await rx.waitFor(before + 1);
    const delivery = rx.received.slice(before).find((r) => r.headers['x-wc-webhook-topic'] === 'order.created');
    assert.ok(delivery, 'order.created delivered again');
    const expected = crypto.createHmac('sha256', target.secret).update(Buffer.from(delivery.body, 'utf8')).digest('base64');
    assert.equal(delivery.headers['x-wc-webhook-signature'], expected);

    const again = await repairOrderWebhooks(store.client(), connectionId, target, false);
    assert.deepEqual({ created: again.created.length, repaired: again.repaired.length, removed: again.removed.length, healthy: again.healthy.length },
      { created: 0, repaired: 0, removed: 0, healthy: 2 });
  });
});
