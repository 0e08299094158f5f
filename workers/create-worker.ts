import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { activityInterceptors } from './activity-interceptors';

export interface PossyncWorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (tests build one per run; the standalone worker loads dist/); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** On shutdown, running activities get this long to finish before they are cancelled. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

/** The one worker process shape: every workflow, and activities built from the given database and shop clients. */
export function createPossyncWorker(opts: PossyncWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({
      db: opts.db, woo: opts.woo, webhookTargets: opts.webhookTargets, creationTiming: opts.creationTiming, smartbill: opts.smartbill,
      ecom: opts.ecom,
      connectionsReloader: opts.connectionsReloader,
    }),
    interceptors: { activity: [activityInterceptors] },
    maxConcurrentActivityTaskExecutions: 200,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxCachedWorkflows: 2000,
    shutdownGraceTime: opts.shutdownGraceTime ?? '10s',
  });
}
