import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ecomOrderPollWorkflowId, ecomOrderSyncWorkflowId } from '../workflows/contracts/ecom-orders';
import { setPollIntervalSignal } from '../workflows/contracts/order-sync';
import { SA } from '../workflows/contracts/search-attributes';
import type { ecomOrderPoll, ecomOrderSync } from '../workflows/ecom-orders';

/** One workflow per delivered order body: a redelivery finds its workflow already there (false). */
export async function startEcomOrderSync(client: Client, taskQueue: string, connectionId: string, orderId: number, version: string): Promise<boolean> {
  try {
    await client.workflow.start<typeof ecomOrderSync>('ecomOrderSync', {
      workflowId: ecomOrderSyncWorkflowId(connectionId, orderId, version),
      taskQueue,
      args: [{ connectionId, orderId }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [{ key: SA.connection, value: connectionId }],
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/**
 * The long-lived order poll of an active eCom connection (M-C7), started when missing; a running
 * one gets the interval by signal-with-start. With `publicUrl` the poll also keeps the shop's order
 * webhook pointing at /webhooks/ecom/<connection> here.
 */
export async function ensureEcomOrderPoll(
  client: Client, taskQueue: string, connectionId: string, opts: { everySeconds: number; publicUrl?: string },
): Promise<{ workflowId: string }> {
  const workflowId = ecomOrderPollWorkflowId(connectionId);
  await client.workflow.signalWithStart<typeof ecomOrderPoll, [number]>('ecomOrderPoll', {
    workflowId,
    taskQueue,
    args: [{ connectionId, everySeconds: opts.everySeconds, publicUrl: opts.publicUrl }],
    signal: setPollIntervalSignal,
    signalArgs: [opts.everySeconds],
    typedSearchAttributes: [{ key: SA.connection, value: connectionId }],
  });
  return { workflowId };
}

/** A deactivated eCom connection polls nothing. */
export async function stopEcomOrderPoll(client: Client, connectionId: string): Promise<void> {
  await client.workflow.getHandle(ecomOrderPollWorkflowId(connectionId)).cancel().catch((err) => {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  });
}
