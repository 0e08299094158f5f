import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describePortHolder } from '../../stack/stale-processes';
import { startTemporalDevServer } from '../../stack/temporal-dev-server';

/** Issue 7.11: a taken port is reported with the process holding it, not a guess. */
describe('a taken port names its holder (issue 7.11)', function () {
  this.timeout(60_000);
  let server: net.Server;
  let port: number;
  let dir: string;

  before(async () => {
    server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-port-'));
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the pid listening on a port', () => {
    assert.match(describePortHolder(port), new RegExp(`taken by pid ${process.pid} .*kill ${process.pid}`));
  });

  it('the Temporal dev server refuses a taken port with the holder named', async () => {
    await assert.rejects(
      startTemporalDevServer({ cliPath: process.env.TEMPORAL_CLI, dbFile: path.join(dir, 'dev.db'), port, uiPort: port + 1, headless: true }),
      new RegExp(`port ${port} is taken by pid ${process.pid}.*TEMPORAL_PORT`),
    );
  });
});
