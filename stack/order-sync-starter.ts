import { ScheduleNotFoundError, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { orderPollScheduleId, orderPollWorkflowId, orderSyncWorkflowId, setPollIntervalSignal } from '../workflows/contracts/order-sync';
import { SA } from '../workflows/contracts/search-attributes';
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

/**
 * The long-lived order poll of a connection (M-B1, issue 8 point 7). Signal-with-start: it is
 * started when missing, and a running one gets the interval, so a changed ORDER_POLL_SECONDS
 * applies from this start on. The Schedule of earlier versions (same id) is removed first, so an
 * existing installation does not poll twice.
 */
export async function ensureOrderPoll(client: Client, taskQueue: string, connectionId: string, everySeconds: number): Promise<{ workflowId: string; removedSchedule: boolean }> {
  const removedSchedule = await client.schedule.getHandle(orderPollScheduleId(connectionId)).delete().then(
    () => true,
    (err: unknown) => {
      if (err instanceof ScheduleNotFoundError) return false;
      throw err;
    },
  );
  const workflowId = orderPollWorkflowId(connectionId);
  await client.workflow.signalWithStart<typeof orderPoll, [number]>('orderPoll', {
    workflowId,
    taskQueue,
    args: [{ connectionId, everySeconds }],
    signal: setPollIntervalSignal,
    signalArgs: [everySeconds],
    typedSearchAttributes: [{ key: SA.connection, value: connectionId }],
  });
  return { workflowId, removedSchedule };
}
