import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime, bundleWorkflowCode } from '@temporalio/worker';
import { connectDb, migrateToLatest } from '../db/connection';
import { startEmbeddedPostgres } from '../stack/embedded-postgres';
import { connectClient } from '../stack/temporal-connection';
import { freePort, startTemporalDevServer } from '../stack/temporal-dev-server';
import { report } from './harness';
import { runScaleOut } from './scale-out';

/**
 * `npm run bench -- scale-out`: one PostgreSQL and one Temporal dev server on this machine, 2 API
 * and 2 worker processes, 10,000 sales spread over both APIs and 50 product edits meanwhile. Reports, never fails.
 */
export async function scaleOutBench(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-scale-'));
  fs.chmodSync(dir, 0o755);
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port: await freePort() });
    stops.push(() => pg.stop());
    const temporal = await startTemporalDevServer({
      cliPath: process.env.TEMPORAL_CLI, dbFile: path.join(dir, 'temporal', 'dev.db'), port: await freePort(), uiPort: await freePort(), headless: true,
    });
    stops.push(() => temporal.stop());
    const db = connectDb(pg.url, { max: 8 });
    stops.push(() => db.destroy());
    await migrateToLatest(db);
    const client = await connectClient({ address: temporal.address, namespace: 'default' });
    stops.push(() => client.connection.close());
    const workflowBundle = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(workflowBundle, (await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('ERROR') })).code);

    const figures = await runScaleOut(
      { db, client, databaseUrl: pg.url, temporalAddress: temporal.address, taskQueue: 'possync', workflowBundle },
      { apis: 2, workers: 2, sales: 10_000, products: 500, seconds: 20, perRequestMs: 20, convergeTimeoutMs: 15 * 60_000, edits: 50 },
    );
    report('scale out', { ...figures, targets: { final_stock_exact: true, overlapping_writes: 0 } });
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
