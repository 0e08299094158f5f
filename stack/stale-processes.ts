import fs from 'node:fs';

/**
 * Finding and stopping what a killed earlier run left behind in the same data folder (issue 7.11),
 * by pid files: PostgreSQL's own postmaster.pid, and ours for the Temporal dev server and the run.
 * A process is only touched when its command line shows it is the one the file describes.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function commandLine(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    return [];
  }
}

/** Asks `pid` to stop with `signal`, then SIGKILL after graceMs; resolves once it is gone. */
export async function stopProcess(pid: number, signal: NodeJS.Signals, graceMs = 30_000): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface StaleStop {
  what: string;
  pid: number;
}

/** A PostgreSQL postmaster of an earlier run on this data folder: stopped (fast shutdown); a pid file of a dead one is removed. */
export async function stopStalePostgres(databaseDir: string): Promise<StaleStop | undefined> {
  const file = `${databaseDir}/postmaster.pid`;
  if (!fs.existsSync(file)) return undefined;
  const [pidLine, dirLine] = fs.readFileSync(file, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    fs.rmSync(file, { force: true });
    return undefined;
  }
  const cmd = commandLine(pid);
  const ours = cmd.some((a) => /(^|\/)postgres$/.test(a)) && dirLine?.trim() === databaseDir;
  if (!ours) {
    // The pid was reused by an unrelated process: the file is stale, PostgreSQL would refuse to start on it.
    fs.rmSync(file, { force: true });
    return undefined;
  }
  await stopProcess(pid, 'SIGINT');
  fs.rmSync(file, { force: true });
  return { what: `PostgreSQL (pid ${pid}, data in ${databaseDir})`, pid };
}

export interface PidFile {
  pid: number;
  /** Strings the process's command line must contain for it to be the one this file describes. */
  marks: string[];
}

export function writePidFile(file: string, content: PidFile): void {
  fs.writeFileSync(file, `${JSON.stringify(content)}\n`);
}

export function readPidFile(file: string): PidFile | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as PidFile;
    return Number.isInteger(v.pid) && v.pid > 0 && Array.isArray(v.marks) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The process a pid file of ours names, when it is still running and still that process. */
export function livePidFileProcess(file: string): number | undefined {
  const p = readPidFile(file);
  if (!p || !isAlive(p.pid)) return undefined;
  const cmd = commandLine(p.pid).join(' ');
  return p.marks.every((m) => cmd.includes(m)) ? p.pid : undefined;
}

/** Stops the process of one of our pid files left by an earlier run, and removes the file. */
export async function stopStaleFromPidFile(file: string, what: string, signal: NodeJS.Signals): Promise<StaleStop | undefined> {
  const pid = livePidFileProcess(file);
  if (pid) await stopProcess(pid, signal);
  fs.rmSync(file, { force: true });
  return pid ? { what: `${what} (pid ${pid})`, pid } : undefined;
}

/** Who listens on a TCP port of this machine (Linux /proc), to name the process in an error. */
export function whoListens(port: number): { pid: number; command: string } | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      if (parseInt(cols[1]!.split(':')[1]!, 16) === port) inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link = '';
      try {
        link = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1]!)) return { pid: Number(entry), command: commandLine(Number(entry)).join(' ') };
    }
  }
  return undefined;
}

/** "Port 5432 is taken by pid 123 (postgres -D ...): stop it (kill 123)" or a plain "port taken" when /proc cannot tell. */
export function describePortHolder(port: number): string {
  const holder = whoListens(port);
  if (!holder) return `port ${port} is taken`;
  const cmd = holder.command.length > 160 ? `${holder.command.slice(0, 160)}…` : holder.command;
  return `port ${port} is taken by pid ${holder.pid} (${cmd || 'unknown command'}); stop it with \`kill ${holder.pid}\``;
}

/** A port a start needs is held by another process; the message names the holder and the variable that moves it (issue 8.12). */
export class PortTakenError extends Error {
  constructor(readonly what: string, readonly port: number, readonly variable: string, hint = '') {
    super(`${what} cannot listen: ${describePortHolder(port)}, or set ${variable} to another port${hint}.`);
  }
}
