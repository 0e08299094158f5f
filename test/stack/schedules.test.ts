import assert from 'node:assert/strict';
import { ensureOrderPollSchedule } from '../../stack/order-sync-starter';
import { orderPollScheduleId } from '../../workflows/contracts/order-sync';
import { useTestStack, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';

/** Issue 7.16: a changed setting reaches a Schedule that an earlier run created. */
describe('schedules follow their settings (issue 7.16)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const connectionId = `sched-${process.pid}-${Date.now() % 100000}`;

  after(async () => {
    await stack?.client.schedule.getHandle(orderPollScheduleId(connectionId)).delete().catch(() => undefined);
  });

  const every = async (): Promise<number | undefined> => {
    const d = await stack.client.schedule.getHandle(orderPollScheduleId(connectionId)).describe();
    return Number(d.spec.intervals?.[0]?.every);
  };

  it('a new ORDER_POLL_SECONDS updates the existing order-poll schedule, keeping an operator pause', async () => {
    const handle = stack.client.schedule.getHandle(orderPollScheduleId(connectionId));
    assert.equal(await ensureOrderPollSchedule(stack.client, 'no-such-queue', connectionId, 60), 'created');
    await handle.pause('paused by the operator');
    assert.equal(await every(), 60_000);
    assert.equal(await ensureOrderPollSchedule(stack.client, 'no-such-queue', connectionId, 15), 'updated');
    assert.equal(await every(), 15_000);
    const d = await handle.describe();
    assert.equal(d.state.paused, true, 'the pause is kept');
    assert.equal(d.action.type, 'startWorkflow');
  });
});
