import { ScheduleAlreadyRunning, type Client, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

export type UpsertedSchedule = 'created' | 'updated';

/**
 * Creates a Schedule, or brings an existing one to these options (spec, action, policies), so a
 * changed setting (e.g. ORDER_POLL_SECONDS) reaches a schedule created by an earlier run. An
 * operator's pause (state) is kept.
 */
export async function upsertSchedule<W extends Workflow>(
  client: Client,
  options: ScheduleOptions<ScheduleOptionsStartWorkflowAction<W>>,
): Promise<UpsertedSchedule> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(options.scheduleId).update<W>((previous) => ({
    spec: options.spec,
    action: options.action,
    policies: { ...previous.policies, ...options.policies },
    state: { paused: previous.state.paused, note: previous.state.note, remainingActions: previous.state.remainingActions },
  }));
  return 'updated';
}
