import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { RECONCILE_SCHEDULE_ID, RECONCILE_WORKFLOW_ID, type ReconcileInput } from '../workflows/contracts/reconcile';
import type { reconcilePushes } from '../workflows/reconcile';

/**
 * The Temporal Schedule of the push reconciliation (issue 7 point 2). Created once; a start with
 * other settings updates it, so a changed RECONCILE_SECONDS reaches the existing schedule.
 */
export async function ensureReconcileSchedule(client: Client, taskQueue: string, everySeconds: number, strandedAfterSeconds: number): Promise<void> {
  const args: [ReconcileInput] = [{ strandedAfterMs: strandedAfterSeconds * 1000 }];
  const spec = { intervals: [{ every: everySeconds * 1000 }] };
  const action = {
    type: 'startWorkflow' as const, workflowType: 'reconcilePushes' as unknown as typeof reconcilePushes, taskQueue, args, workflowId: RECONCILE_WORKFLOW_ID,
  };
  try {
    await client.schedule.create({
      scheduleId: RECONCILE_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute', pauseOnFailure: false },
      state: { note: 're-queues stranded pending pushes, probes blocked connections' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(RECONCILE_SCHEDULE_ID).update((prev) => ({ ...prev, spec, action }));
  }
}
