import assert from 'node:assert/strict';
import { ensureWebhookHealthSchedule } from '../../stack/webhook-health-starter';
import { webhookHealthScheduleId } from '../../workflows/contracts/webhook-health';
import { useTestStack, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';

/** Issue 7.16: a changed setting reaches a Schedule that an earlier run created. */
describe('schedules follow their settings (issue 7.16)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const connectionId = `sched-${process.pid}-${Date.now() % 100000}`;

  after(async () => {
    await stack?.client.schedule.getHandle(webhookHealthScheduleId(connectionId)).delete().catch(() => undefined);
  });

  const every = async (): Promise<number | undefined> => {
    const d = await stack.client.schedule.getHandle(webhookHealthScheduleId(connectionId)).describe();
    return Number(d.spec.intervals?.[0]?.every);
  };

  it('a new WEBHOOK_CHECK_SECONDS updates the existing webhook-health schedule, keeping an operator pause', async () => {
    const handle = stack.client.schedule.getHandle(webhookHealthScheduleId(connectionId));
    assert.equal(await ensureWebhookHealthSchedule(stack.client, 'no-such-queue', connectionId, 60), 'created');
    await handle.pause('paused by the operator');
    assert.equal(await every(), 60_000);
    assert.equal(await ensureWebhookHealthSchedule(stack.client, 'no-such-queue', connectionId, 15), 'updated');
    assert.equal(await every(), 15_000);
    const d = await handle.describe();
    assert.equal(d.state.paused, true, 'the pause is kept');
    assert.equal(d.action.type, 'startWorkflow');
  });
});
