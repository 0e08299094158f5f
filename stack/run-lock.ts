import fs from 'node:fs';
import path from 'node:path';
import { commandLine, livePidFileProcess, readPidFile, writePidFile } from './stale-processes';

export interface RunLock {
  release(): void;
}

/**
 * One running possync per data folder: a second start while the first is alive would stop its
 * PostgreSQL and Temporal server as "stale". The file names the owning process, so a start after a
 * killed run (owner gone) goes ahead and cleans up, and a start beside a live one says which process it is.
 */
export function claimDataDir(dataDir: string): RunLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'possync.pid');
  const owner = livePidFileProcess(file);
  if (owner && owner !== process.pid) {
    throw new Error(
      `possync is already running with the data folder ${dataDir}: pid ${owner} (${commandLine(owner).join(' ')}). ` +
        `Stop it first (\`kill ${owner}\`), or set POSSYNC_DATA_DIR to another folder.`,
    );
  }
  writePidFile(file, { pid: process.pid, marks: commandLine(process.pid).slice(0, 2) });
  return {
    release: () => {
      if (readPidFile(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
}
