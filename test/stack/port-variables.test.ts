import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../stack/config';
import { createLogger } from '../../stack/logger';
import { startStack, type Stack } from '../../stack/start';
import { freePort, startTemporalDevServer } from '../../stack/temporal-dev-server';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../stack/embedded-postgres';
import { testStack } from '../helpers/test-stack';

/** Issue 8.12: a taken port is refused naming its holder and the variable that moves it, never a raw EADDRINUSE. */
describe('a taken port names the variable that moves it (issue 8.12)', function () {
  this.timeout(120_000);
  let holder: net.Server;
  let port: number;
  let dir: string;
  let stack: Stack;

  before(async function () {
    this.timeout(240_000);
    stack = await testStack();
    holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    port = (holder.address() as net.AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-ports-'));
    // PostgreSQL runs as the postgres user when we are root: the folder must be reachable by it.
    fs.chmodSync(dir, 0o755);
  });
  after(async () => {
    await new Promise<void>((r) => holder.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A start on the test stack's database and Temporal, so only the port under test can stop it. */
  const startWith = (env: Record<string, string>) => startStack({
    config: loadConfig({
      DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, POSSYNC_DATA_DIR: dir,
      HTTP_PORT: '0', SANDBOX_PORT: '0', LOG_LEVEL: 'warn', PATH: process.env.PATH, ...env,
    }),
    log: createLogger('warn'),
    headless: true,
  });

  it('HTTP_PORT: the POS API', async () => {
    await assert.rejects(startWith({ HTTP_PORT: String(port) }), (err: Error) => {
      assert.match(err.message, new RegExp(`^The POS API cannot listen: port ${port} is taken by pid ${process.pid} .*set HTTP_PORT to another port`));
      assert.doesNotMatch(err.message, /EADDRINUSE/);
      return true;
    });
  });

  it('SANDBOX_PORT: the WooCommerce sandbox store', async () => {
    await assert.rejects(startWith({ SANDBOX_PORT: String(port) }), new RegExp(`sandbox store cannot listen: port ${port} is taken by pid ${process.pid}.*set SANDBOX_PORT`));
  });

  it('TEMPORAL_UI_PORT: the Temporal Web UI', async () => {
    const free = await new Promise<number>((r) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    await assert.rejects(
      startTemporalDevServer({ cliPath: process.env.TEMPORAL_CLI, dbFile: path.join(dir, 'dev.db'), port: free, uiPort: port }),
      new RegExp(`Temporal Web UI cannot listen: port ${port} is taken by pid ${process.pid}.*set TEMPORAL_UI_PORT`),
    );
  });

  it('EMBEDDED_PG_PORT: the embedded PostgreSQL', async () => {
    await assert.rejects(
      startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port }),
      new RegExp(`port ${port} is taken by pid ${process.pid}.*set EMBEDDED_PG_PORT to another port`),
    );
    // The folder that first start initialised works on a free port (its database is created then).
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port: await freePort() });
    try {
      const client = new Client({ connectionString: pg.url });
      await client.connect();
      await client.end();
    } finally {
      await pg.stop();
    }
  });
});
