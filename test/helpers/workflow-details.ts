import type { WorkflowHandle } from '@temporalio/client';

/** The current-details line a workflow shows in the Web UI (set with setCurrentDetails), read through the built-in metadata query. */
export async function currentDetails(handle: WorkflowHandle): Promise<string> {
  return (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';
}
