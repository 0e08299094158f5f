import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** The type of the ApplicationFailure an activity threw (e.g. 'ConnectionBlocked'), if that is what failed. */
export function activityFailureType(err: unknown): string | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause.type ?? undefined;
  return undefined;
}

/** What the activity said, rather than Temporal's wrapper ("Activity task failed"). */
export function activityFailureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
