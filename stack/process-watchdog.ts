import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * The children (PostgreSQL, the Temporal dev server) die with this process (issue 7.11): a
 * detached watchdog process reads our pipe and, when it closes because we are gone (a SIGKILL
 * included), signals every child still registered.
 */
export class ProcessWatchdog {
  private constructor(private readonly child: ChildProcess) {}

  static start(graceMs = 20_000): ProcessWatchdog {
    const child = spawn(process.execPath, [path.join(__dirname, 'child-watchdog.js'), String(graceMs)], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // Neither the watchdog nor its pipe keeps this process alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    child.stdin?.on('error', () => undefined);
    return new ProcessWatchdog(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  watch(pid: number | undefined, signal: NodeJS.Signals): void {
    if (pid) this.child.stdin?.write(`watch ${pid} ${signal}\n`);
  }

  unwatch(pid: number | undefined): void {
    if (pid) this.child.stdin?.write(`unwatch ${pid}\n`);
  }

  /** After a clean stop: nothing is left to watch, so the watchdog exits on its own. */
  close(): void {
    this.child.stdin?.end();
  }
}
