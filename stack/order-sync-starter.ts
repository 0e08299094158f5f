import { ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { orderPollScheduleId, orderSyncWorkflowId } from '../workflows/contracts/order-sync';
import type { orderSync, orderPoll } from '../workflows/order-maintenance';
import { upsertSchedule, type UpsertedSchedule } from './schedules';

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

/** The Temporal Schedule that polls a connection's orders by modified_after (M-B1); a changed interval updates it. */
export function ensureOrderPollSchedule(client: Client, taskQueue: string, connectionId: string, everySeconds: number): Promise<UpsertedSchedule> {
  return upsertSchedule<typeof orderPoll>(client, {
    scheduleId: orderPollScheduleId(connectionId),
    spec: { intervals: [{ every: `${everySeconds}s` }] },
    action: { type: 'startWorkflow', workflowType: 'orderPoll', taskQueue, args: [{ connectionId }], workflowId: `order-poll/${connectionId}` },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '5 minutes', pauseOnFailure: false },
    state: { note: 'catches orders whose webhooks never arrived' },
  });
}
