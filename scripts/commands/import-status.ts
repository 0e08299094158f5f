import { WorkflowFailedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { importProgressQuery, orderImportDryRunWorkflowId, orderImportWorkflowId, type ImportProgress } from '../../workflows/contracts/order-import';

/**
 * `possync import status`: the import and its dry run side by side (issue 8 point 10); each has
 * its own workflow, so a dry run never hides the real import's progress and backup.
 */
export async function importStatus(client: Client, connectionId: string): Promise<{ text: string; import: Side; dryRun: Side }> {
  const [real, dry] = await Promise.all([
    sideOf(client.workflow.getHandle(orderImportWorkflowId(connectionId)), connectionId),
    sideOf(client.workflow.getHandle(orderImportDryRunWorkflowId(connectionId)), `${connectionId} (dry run)`),
  ]);
  if (!real && !dry) throw new Error(`no import of ${connectionId} was ever started`);
  const line = (side: NonNullable<Side>) => ('error' in side ? side.error : describe(side.progress));
  const text = [
    real ? line(real) : `no import of ${connectionId} was started yet (possync import start ${connectionId})`,
    ...(dry ? [line(dry)] : []),
  ].join('\n');
  return { text, import: real, dryRun: dry };
}

/** One workflow's progress, why it has none (it failed or was ended), or null when it was never started. */
type Side = { progress: ImportProgress } | { error: string } | null;

async function sideOf(handle: WorkflowHandle, what: string): Promise<Side> {
  try {
    return { progress: await progressOf(handle, what) };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

async function progressOf(handle: WorkflowHandle, what: string): Promise<ImportProgress> {
  const d = await handle.describe();
  if (d.status.name === 'RUNNING') return await handle.query(importProgressQuery);
  if (d.status.name === 'COMPLETED') return (await handle.result()) as ImportProgress;
  if (d.status.name === 'FAILED') return await finalProgress(handle, what);
  throw new Error(`the import of ${what} ended as ${d.status.name.toLowerCase()}`);
}

/** The result of an ended import; a failed one throws with the workflow's reason (issue 7.6). */
export async function finalProgress(handle: WorkflowHandle, what: string): Promise<ImportProgress> {
  try {
    return (await handle.result()) as ImportProgress;
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw new Error(`the import of ${what} failed: ${err.cause?.message ?? err.message}`, { cause: err });
    throw err;
  }
}

export function describe(p: ImportProgress): string {
  const total = p.totalOrders ?? '?';
  const eta = p.secondsLeft !== undefined && p.phase === 'running' ? `, about ${p.secondsLeft}s left` : '';
  const lines = [
    `${p.dryRun ? 'DRY RUN ' : ''}${p.phase}: ${p.ordersDone}/${total} orders, page ${p.pagesDone}/${p.totalPages ?? '?'}${eta}`,
    `  imported ${p.imported}, skipped ${p.skipped}, failed ${p.failed}, linked ${p.linked}, created ${p.created}, units deducted ${p.deducted}`,
    ...(p.backupId ? [`  backup ${p.backupId} (restore with: possync import restore ${p.backupId})`] : []),
    ...p.recentFailures.slice(0, 5).map((f) => `  order ${f.orderId} failed: ${f.reason}`),
  ];
  return lines.join('\n');
}

