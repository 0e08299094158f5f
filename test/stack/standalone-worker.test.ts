import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../helpers/shop';
import { startWooSandbox, type WooSandbox } from '../../sandbox/woocommerce';
import { webhookHealthWorkflowId } from '../../workflows/contracts/webhook-health';
import type { webhookHealth } from '../../workflows/webhook-health';
import { useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';

const ROOT = path.join(__dirname, '..', '..');
const TS_NODE = require.resolve('ts-node/dist/bin.js');

interface Proc { child: ChildProcess; lines: string[]; exit: Promise<number | null> }

function startWorker(env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, [TS_NODE, '--transpile-only', path.join(ROOT, 'workers', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const collect = (b: Buffer) => lines.push(...b.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exit };
}

/** Issue 7.16: `npm run worker` runs a prebuilt bundle, logs through pino, and stops gracefully. */
describe('standalone worker (issue 7.16)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let shop: WooSandbox;
  let dir: string;
  let bundle: string;
  let worker: Proc | undefined;
  const connectionId = `worker-${process.pid}-${Date.now() % 100000}`;
  const taskQueue = `standalone-${connectionId}`;

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-worker-'));
    bundle = path.join(dir, 'workflow-bundle.js');
    await promisify(execFile)(process.execPath, [TS_NODE, '--transpile-only', path.join(ROOT, 'scripts', 'build-workflow-bundle.ts')], {
      cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, WORKFLOW_BUNDLE: bundle }, timeout: 300_000,
    });
    // Slow enough that a webhook check is still running when the worker is told to stop.
    shop = await startWooSandbox({ latency: { perRequestMs: 1500 } });
  });
  after(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await shop?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH, HOME: process.env.HOME,
    DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE: bundle, WORKER_SHUTDOWN_GRACE_SECONDS: '120', LOG_LEVEL: 'info',
    WOO_CONNECTION_ID: connectionId, WOO_URL: shop.url, WOO_CONSUMER_KEY: shop.consumerKey, WOO_CONSUMER_SECRET: shop.consumerSecret,
    WOO_WEBHOOK_SECRET: 'standalone-secret', POSSYNC_PUBLIC_URL: stack.httpUrl, ...extra,
  });

  it('refuses to start without a prebuilt bundle, naming the command that builds it', async () => {
    const p = startWorker(env({ WORKFLOW_BUNDLE: path.join(dir, 'missing.js') }));
    assert.equal(await p.exit, 1);
    assert.match(p.lines.join('\n'), /npm run build:workflows/);
  });

  it('runs the bundle, logs only JSON through pino (SDK lines included), and on SIGTERM lets the running activity finish, then exits 0', async () => {
    worker = startWorker(env());
    await waitFor('the worker to run', () => worker!.lines.some((l) => l.includes('"worker running"')) || (worker!.child.exitCode !== null ? Promise.reject(new Error(worker!.lines.join('\n'))) : false));
    const handle = await stack.client.workflow.start<typeof webhookHealth>('webhookHealth', {
      workflowId: webhookHealthWorkflowId(connectionId), taskQueue, args: [{ connectionId }],
    });
    await waitFor('the webhook activity to be running', async () => {
      const d = await handle.describe();
      return (d.raw.pendingActivities ?? []).some((a) => String(a.state) === '2' || String(a.state).includes('STARTED'));
    });
    worker.child.kill('SIGTERM');
    assert.equal(await worker.exit, 0, worker.lines.join('\n'));
    // No other worker polls this queue: the activity's result is in the history only because it was let finish.
    const events = (await handle.fetchHistory()).events ?? [];
    const completed = events.filter((e) => e.activityTaskCompletedEventAttributes).length;
    const failed = events.filter((e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes || e.activityTaskCanceledEventAttributes).length;
    assert.deepEqual({ completed, failed }, { completed: 1, failed: 0 });
    const first = worker;
    // A worker started again finishes the run with that result; the activity is not run twice.
    worker = startWorker(env());
    const report = await handle.result();
    assert.deepEqual(report.created.map((c) => c.topic).sort(), ['order.created', 'order.updated']);
    worker.child.kill('SIGTERM');
    assert.equal(await worker.exit, 0);

    const parsed = first.lines.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        assert.fail(`a log line that is not JSON: ${l}`);
      }
    });
    assert.ok(parsed.some((r) => r.sdk === true), 'SDK log records went through pino');
    assert.ok(parsed.some((r) => r.msg === 'worker stopped'));
  });
});
