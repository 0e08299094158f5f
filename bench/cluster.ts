import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../stack/temporal-dev-server';

const ROOT = path.join(__dirname, '..');

export interface ClusterProcess {
  name: string;
  child: ChildProcess;
  /** The last lines it wrote (JSON log lines). */
  lines: string[];
  exited: Promise<number | null>;
}

export interface Cluster {
  /** Base URLs of the POS API processes (`npm run api`). */
  apis: string[];
  /** GET /metrics of each standalone worker (`npm run worker`). */
  workerMetrics: string[];
  processes: ClusterProcess[];
  stop(): Promise<void>;
}

export interface ClusterOptions {
  apis: number;
  workers: number;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  /** The prebuilt workflow bundle the workers load (WORKFLOW_BUNDLE). */
  workflowBundle: string;
  /** The one WooCommerce connection the workers hold credentials for. */
  shop: { connectionId: string; url: string; key: string; secret: string };
  env?: NodeJS.ProcessEnv;
}

/**
 * N API processes and N standalone workers against one PostgreSQL and one Temporal server, as an
 * operator runs them (docs/operations.md). Started one after the other, so one of them migrates the
 * database before the others look at it.
 */
export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const processes: ClusterProcess[] = [];
  const apis: string[] = [];
  const workerMetrics: string[] = [];
  const common: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, TS_NODE_TRANSPILE_ONLY: '1', LOG_LEVEL: 'info',
    DATABASE_URL: o.databaseUrl, TEMPORAL_ADDRESS: o.temporalAddress, TEMPORAL_TASK_QUEUE: o.taskQueue,
    WOO_CONNECTION_ID: o.shop.connectionId, WOO_URL: o.shop.url, WOO_CONSUMER_KEY: o.shop.key, WOO_CONSUMER_SECRET: o.shop.secret,
    ...o.env,
  };
  const stop = async () => {
    await Promise.all(processes.map(async (p) => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      const killed = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
      await p.exited;
      clearTimeout(killed);
    }));
  };
  try {
    for (let i = 0; i < o.workers; i++) {
      const p = launch(`worker ${i + 1}`, 'workers/main.ts', {
        ...common, WORKFLOW_BUNDLE: o.workflowBundle, WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      });
      processes.push(p);
      workerMetrics.push(String((await readyLine(p, 'worker running')).metrics));
    }
    for (let i = 0; i < o.apis; i++) {
      const p = launch(`api ${i + 1}`, 'server/main.ts', { ...common, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(await freePort()) });
      processes.push(p);
      apis.push(String((await readyLine(p, 'api listening')).url));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { apis, workerMetrics, processes, stop };
}

function launch(name: string, script: string, env: NodeJS.ProcessEnv): ClusterProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(ROOT, script)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  const collect = (b: Buffer) => {
    const parts = (partial + b.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.trim() !== ''));
    if (lines.length > 2000) lines.splice(0, lines.length - 2000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, lines, exited };
}

/** The JSON log line with this message, once the process writes it; fails if the process exits first. */
function readyLine(p: ClusterProcess, msg: string, timeoutMs = 300_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      for (const l of p.lines) {
        if (!l.includes(`"${msg}"`)) continue;
        try {
          return resolve(JSON.parse(l) as Record<string, unknown>);
        } catch {
          // not JSON: keep looking
        }
      }
      if (p.child.exitCode !== null || Date.now() > deadline) {
        return reject(new Error(`${p.name} ${p.child.exitCode !== null ? `exited (${p.child.exitCode})` : 'timed out'} before "${msg}":\n${p.lines.slice(-30).join('\n')}`));
      }
      setTimeout(check, 100);
    };
    check();
  });
}
