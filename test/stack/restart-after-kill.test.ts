import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../helpers/shop';
import { freePort } from '../../stack/temporal-dev-server';
import { isAlive, readPidFile } from '../../stack/stale-processes';

const ROOT = path.join(__dirname, '..', '..');
const TS_NODE = require.resolve('ts-node/dist/bin.js');

interface Run { child: ChildProcess; output: () => string; exit: Promise<number | null> }

/** `npm start` (scripts/dev-stack.ts) in a child process, on its own ports and data folder. */
function npmStart(env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [TS_NODE, '--transpile-only', path.join(ROOT, 'scripts', 'dev-stack.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function running(run: Run): Promise<void> {
  await waitFor('possync is running', () => {
    if (run.child.exitCode !== null) throw new Error(`npm start exited with ${run.child.exitCode}:\n${run.output()}`);
    return run.output().includes('possync is running');
  });
}

/** Issue 7.11: a killed `npm start` can be started again, with no manual step. */
describe('restart after SIGKILL (issue 7.11)', function () {
  this.timeout(900_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const runs: Run[] = [];
  const orphans: number[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-restart-'));
    fs.chmodSync(dir, 0o755);
    env = {
      PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_CLI: process.env.TEMPORAL_CLI,
      POSSYNC_DATA_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()), TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()), HTTP_PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()),
      SANDBOX_LATENCY_MS: '0', LOG_LEVEL: 'warn',
    };
  });
  after(async () => {
    for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    for (const pid of orphans) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const childPids = (): { postgres: number; temporal: number; run: number } => ({
    postgres: Number(fs.readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]),
    temporal: readPidFile(path.join(dir, 'temporal', 'dev-server.pid'))!.pid,
    run: readPidFile(path.join(dir, 'possync.pid'))!.pid,
  });

  it('the children die with a SIGKILLed npm start, and the next start comes up in the same data folder (manual steps: 0)', async () => {
    const first = npmStart(env);
    runs.push(first);
    await running(first);
    const pids = childPids();
    assert.equal(pids.run, first.child.pid);
    orphans.push(pids.postgres, pids.temporal);
    first.child.kill('SIGKILL');
    await first.exit;
    await waitFor('PostgreSQL and the Temporal server to stop', () => !isAlive(pids.postgres) && !isAlive(pids.temporal));

    const second = npmStart(env);
    runs.push(second);
    await running(second);
    second.child.kill('SIGINT');
    assert.equal(await second.exit, 0, second.output());
  });

  it('when the children outlived the killed run anyway, the next start stops them by their pid files and comes up', async () => {
    const first = npmStart(env);
    runs.push(first);
    await running(first);
    const pids = childPids();
    orphans.push(pids.postgres, pids.temporal);
    // Kill the watchdog first too: the orphans stay, as with a `kill -9` of the whole process group.
    const watchdogs = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('child-watchdog.js') && fs.readFileSync(`/proc/${p}/stat`, 'utf8').length > 0
          && fs.readlinkSync(`/proc/${p}/fd/0`) !== '' && isWatchdogOf(Number(p), first.child.pid!);
      } catch {
        return false;
      }
    });
    assert.equal(watchdogs.length, 1, 'one watchdog for the run');
    process.kill(Number(watchdogs[0]), 'SIGKILL');
    first.child.kill('SIGKILL');
    await first.exit;
    assert.ok(isAlive(pids.postgres) && isAlive(pids.temporal), 'orphans hold the ports');

    const second = npmStart(env);
    runs.push(second);
    await running(second);
    assert.ok(!isAlive(pids.postgres) && !isAlive(pids.temporal), 'the orphans were stopped');
    assert.match(second.output(), /stopped PostgreSQL \(pid \d+/);
    assert.match(second.output(), /stopped the Temporal dev server/);

    const third = npmStart(env);
    runs.push(third);
    assert.equal(await third.exit, 1, 'a second start beside a live run refuses');
    assert.match(third.output(), new RegExp(`already running with the data folder .*pid ${second.child.pid}`));
    second.child.kill('SIGINT');
    assert.equal(await second.exit, 0, second.output());
  });
});

/** The watchdog a run started: spawned by it (its parent pid, while the run lives). */
function isWatchdogOf(pid: number, runPid: number): boolean {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return ppid === runPid;
}
