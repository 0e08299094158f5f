import type { Client } from '@temporalio/client';
import { movementsReceivedSignal, smartbillApplyWorkflowId, type SmartBillApplyInput } from '../workflows/contracts/smartbill-apply';
import type { smartbillApply } from '../workflows/smartbill-apply';

/** Movements of one product that arrive this close together cost one shop write. */
export const SMARTBILL_COALESCE_MS = 500;

/** Wakes (or starts) `smartbill-apply/<connection>` after SmartBill movements were committed. */
export async function wakeSmartBillApply(client: Client, taskQueue: string, connectionId: string, opts: Partial<SmartBillApplyInput> = {}): Promise<void> {
  await client.workflow.signalWithStart<typeof smartbillApply>('smartbillApply', {
    workflowId: smartbillApplyWorkflowId(connectionId),
    taskQueue,
    args: [{ connectionId, coalesceMs: opts.coalesceMs ?? SMARTBILL_COALESCE_MS, idleTimeoutMs: opts.idleTimeoutMs ?? 300_000 }],
    signal: movementsReceivedSignal,
    signalArgs: [],
  });
}
