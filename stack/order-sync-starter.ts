import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { orderPollScheduleId, orderSyncWorkflowId } from '../workflows/contracts/order-sync';
import type { orderSync, orderPoll } from '../workflows/order-maintenance';

/** One workflow per order version: a redelivered webhook finds its workflow already there. */
export async function startOrderSync(client: Client, taskQueue: string, connectionId: string, orderId: number, version: string): Promise<boolean> {
  try {
    await client.workflow.start<typeof orderSync>('orderSync', {
      workflowId: orderSyncWorkflowId(connectionId, orderId, version),
      taskQueue,
      args: [{ connectionId, orderId }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/** The Temporal Schedule that polls a connection's orders by modified_after (M-B1). Creating it twice is fine. */
export async function ensureOrderPollSchedule(client: Client, taskQueue: string, connectionId: string, everySeconds: number): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: orderPollScheduleId(connectionId),
      spec: { intervals: [{ every: `${everySeconds}s` }] },
      action: { type: 'startWorkflow', workflowType: 'orderPoll' as unknown as typeof orderPoll, taskQueue, args: [{ connectionId }], workflowId: `order-poll/${connectionId}` },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '5 minutes', pauseOnFailure: false },
      state: { note: 'catches orders whose webhooks never arrived' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
