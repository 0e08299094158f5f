import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { connectDb, migrateToLatest, type Db } from '../db/connection';
import { connectClient } from '../stack/temporal-connection';
import { freePort, startTemporalDevServer, type DevServer } from '../stack/temporal-dev-server';
import { runScaleOut } from '../bench/scale-out';
import { testStack } from './helpers/test-stack';
import { workflowBundleForTests } from './helpers/workflow-bundle';

/**
 * Issue 9 "Scale out": 2 API processes and 2 standalone workers on one PostgreSQL and one Temporal
 * server. A database and a Temporal server of their own (the shared test stack's dispatcher and
 * worker would take part otherwise), on the test stack's PostgreSQL server.
 */
describe('scale out: 2 API and 2 worker processes', function () {
  this.timeout(600_000);
  let db: Db;
  let client: Client;
  let temporal: DevServer;
  let dir: string;
  let databaseUrl: string;
  let dbName: string;

  before(async function () {
    this.timeout(600_000);
    const stack = await testStack();
    dbName = `possync_scale_${process.pid}`;
    await stack.db.raw(`CREATE DATABASE ${dbName}`);
    const url = new URL(stack.databaseUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    db = connectDb(databaseUrl, { max: 8 });
    await migrateToLatest(db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-scale-test-'));
    temporal = await startTemporalDevServer({
      cliPath: process.env.TEMPORAL_CLI, dbFile: path.join(dir, 'dev.db'), port: await freePort(), uiPort: await freePort(), headless: true,
    });
    client = await connectClient({ address: temporal.address, namespace: 'default' });
  });
  after(async () => {
    await client?.connection.close();
    await temporal?.stop();
    await db?.destroy();
    if (dbName) await (await testStack()).db.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('1,000 sales over both APIs and edits meanwhile, a worker killed mid-storm: exact shop stock and names, no product written by two writers at once', async () => {
    const figures = await runScaleOut(
      { db, client, databaseUrl, temporalAddress: temporal.address, taskQueue: 'possync-scale', workflowBundle: await workflowBundleForTests() },
      { apis: 2, workers: 2, sales: 1000, products: 100, seconds: 5, perRequestMs: 20, convergeTimeoutMs: 300_000,
        edits: 10, killFirstWorkerAfterMs: 3000 },
    );
    assert.equal(figures.failed_sales, 0, JSON.stringify(figures));
    assert.ok(figures.sales_per_api.every((n) => n === 500), JSON.stringify(figures));
    assert.equal(figures.products_off, 0, JSON.stringify(figures));
    assert.equal(figures.final_stock_exact, true);
    assert.equal(figures.overlapping_writes, 0, JSON.stringify(figures));
    assert.equal(figures.edits, 10);
    assert.equal(figures.shop_requests_per_worker[0], null, 'the first worker was killed');
    assert.ok((figures.shop_requests_per_worker[1] ?? 0) > 0, `the surviving worker pushed: ${JSON.stringify(figures)}`);
    assert.ok(figures.push_lag_seconds.samples > 0, 'the workers measured the lag');
  });
});
