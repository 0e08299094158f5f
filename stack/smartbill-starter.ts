import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { ConnectionCheckReport } from '../workflows/contracts/connections';
import type { smartbillCheck } from '../workflows/smartbill-operator';
import { movementsReceivedSignal, smartbillApplyWorkflowId, smartbillCheckWorkflowId, type SmartBillApplyInput } from '../workflows/contracts/smartbill-apply';
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

/**
 * Wakes the apply workflow without holding SmartBill's call: at most one wake-up per connection in
 * flight, and one more after it when calls arrived meanwhile. A lost wake-up only delays the movements
 * (they are committed), until the next call or start.
 */
export class SmartBillWaker {
  private readonly state = new Map<string, 'sending' | 'again'>();

  constructor(private readonly send: (connectionId: string) => Promise<void>, private readonly onError: (connectionId: string, err: unknown) => void) {}

  wake(connectionId: string): void {
    const s = this.state.get(connectionId);
    if (s) {
      this.state.set(connectionId, 'again');
      return;
    }
    this.state.set(connectionId, 'sending');
    void this.send(connectionId).catch((err: unknown) => this.onError(connectionId, err)).finally(() => {
      const again = this.state.get(connectionId) === 'again';
      this.state.delete(connectionId);
      if (again) this.wake(connectionId);
    });
  }
}

/**
 * A SmartBill connection's check at start and reload (M-D6): SmartBill's API accepts the credentials and
 * has the configured warehouse. A SmartBill that cannot be reached is reported, never holding the start.
 */
export async function checkSmartBillConnection(client: Client, taskQueue: string, connectionId: string): Promise<ConnectionCheckReport> {
  const report = (ok: boolean, problem?: string, reached = true): ConnectionCheckReport => ({
    connectionId, ok, problem,
    steps: { reachable: reached ? 'ok' : 'failed', credentials: reached ? (ok || problem?.includes('warehouse') ? 'ok' : 'failed') : 'not checked', read: ok ? 'ok' : 'not checked', write: 'not checked' },
  });
  try {
    const check = await client.workflow.execute<typeof smartbillCheck>('smartbillCheck', {
      workflowId: `${smartbillCheckWorkflowId(connectionId)}/start-${Date.now()}`, taskQueue, args: [{ connectionId }],
      workflowExecutionTimeout: '2 minutes',
    });
    return check.problem ? report(false, check.problem) : report(true);
  } catch (err) {
    const root = err instanceof WorkflowFailedError ? ((err.cause?.cause as Error | undefined) ?? err.cause ?? err) : undefined;
    const cause = root ? root.message : String(err);
    return report(false, `SmartBill could not be checked: ${cause}`, !/no answer|unreachable/i.test(cause));
  }
}
