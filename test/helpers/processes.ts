import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Stack } from '../../stack/start';
import { TEST_TIMING_ENV } from './test-stack';
import { workflowBundleForTests } from './workflow-bundle';
import { adminToken } from './api';

const ROOT = path.join(__dirname, '..', '..');
const TS_NODE = ['-r', 'ts-node/register'];
const FAST_TS = { TS_NODE_TRANSPILE_ONLY: '1' };

/** Runs `possync <args>` against the test stack, as an operator would; resolves with its output and exit code. */
export function possync(stack: Stack, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TS_NODE, 'scripts/cli.ts', '--api', stack.httpUrl, '--temporal', stack.temporalAddress, '--task-queue', stack.config.temporal.taskQueue, ...args],
      { cwd: ROOT, env: { ...process.env, ...FAST_TS, POSSYNC_TOKEN: adminToken(stack) }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the worker polls its task queue. */
  ready: Promise<void>;
  output(): string;
}

/** `npm run worker` as its own process (a real SIGKILL target), on the given task queue and shop, with the test stack's timing. */
export async function startWorkerProcess(
  stack: Stack,
  opts: { taskQueue: string; connectionId: string; woo: { url: string; key: string; secret: string }; env?: NodeJS.ProcessEnv; entry?: string },
): Promise<WorkerProcess> {
  const bundle = await workflowBundleForTests();
  const child = spawn(process.execPath, [...TS_NODE, opts.entry ?? 'workers/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH, ...FAST_TS, ...TEST_TIMING_ENV, DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: opts.taskQueue,
      WOO_CONNECTION_ID: opts.connectionId, WOO_URL: opts.woo.url, WOO_CONSUMER_KEY: opts.woo.key, WOO_CONSUMER_SECRET: opts.woo.secret, LOG_LEVEL: 'info',
      // No metrics port unless a test asks: two workers at once (or another run's) would fight over the default one.
      WORKFLOW_BUNDLE: bundle, WORKER_METRICS_ADDRESS: 'off', ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('worker running')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${out}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, output: () => out };
}
