import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptors } from '@temporalio/worker';
import { WooApiError } from '../activities/woocommerce/errors';
import { activityFailures, activityRetries } from '../server/metrics/process-metrics';
import { subjectOfArgs, type LogSubject } from '../stack/log-subject';

/**
 * Every activity: counts its retries and failures by kind (possync_activity_*), and gives its log
 * lines the connection, product id and SKU it works on (the SDK adds the workflow id itself).
 */
export function activityInterceptors(ctx: Context): ActivityInterceptors {
  let subject: LogSubject = {};
  const activity = ctx.info.activityType;
  return {
    inbound: {
      async execute(input, next) {
        subject = subjectOfArgs(input.args);
        if (ctx.info.attempt > 1) activityRetries.inc({ activity });
        try {
          return await next(input);
        } catch (err) {
          activityFailures.inc({ activity, kind: failureKind(err) });
          throw err;
        }
      },
    },
    outbound: {
      getLogAttributes: (input, next) => next({ ...input, ...subject }),
    },
  };
}

function failureKind(err: unknown): string {
  if (err instanceof WooApiError) return `WooApiError.${err.kind}`;
  if (err instanceof ApplicationFailure) return err.type ?? 'ApplicationFailure';
  return err instanceof Error ? err.name : 'unknown';
}
