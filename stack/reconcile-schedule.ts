import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { RECONCILE_SCHEDULE_ID, RECONCILE_WORKFLOW_ID, type ReconcileInput } from '../workflows/contracts/reconcile';
import type { reconcilePushes } from '../workflows/reconcile';
import { upsertSchedule } from './schedules';

/**
 * The Temporal Schedule of the push reconciliation (issue 7 point 2). Created once; a start with
 * other settings updates it, so a changed RECONCILE_SECONDS reaches the existing schedule.
 */
export async function ensureReconcileSchedule(client: Client, taskQueue: string, everySeconds: number, strandedAfterSeconds: number): Promise<void> {
  const args: [ReconcileInput] = [{ strandedAfterMs: strandedAfterSeconds * 1000 }];
  await upsertSchedule<typeof reconcilePushes>(client, {
    scheduleId: RECONCILE_SCHEDULE_ID,
    spec: { intervals: [{ every: everySeconds * 1000 }] },
    action: { type: 'startWorkflow', workflowType: 'reconcilePushes', taskQueue, args, workflowId: RECONCILE_WORKFLOW_ID },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute', pauseOnFailure: false },
    state: { note: 're-queues stranded pending pushes, probes blocked connections' },
  });
}
