// Issue 8 point 1, the user's sequence: `npm start` on a new data folder, a product added, Ctrl-C,
// `npm start` again: the sandbox store is as it was and every push goes on; after
// `possync sandbox reset`, the next start pushes the catalog into the empty store again.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiClient } from '../helpers/api';
import { waitFor } from '../helpers/shop';
import { loadConfig } from '../../stack/config';
import { createLogger } from '../../stack/logger';
import { seedDemoHistory } from '../../stack/demo-history';
import { startStack, type Stack } from '../../stack/start';
import { freePort } from '../../stack/temporal-dev-server';
import { sandboxStateFile } from '../../sandbox/woocommerce';
import { catalogSyncWorkflowId } from '../../workflows/contracts/catalog-sync';
import type { catalogSync } from '../../workflows/catalog-sync';

const run = promisify(execFile);
const CONNECTION = 'woo-main';

describe('npm start, a product added, Ctrl-C, npm start (issue 8 point 1)', function () {
  this.timeout(900_000);
  let dir: string;
  let env: Record<string, string | undefined>;
  let stack: Stack | undefined;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-sandbox-restart-'));
    fs.chmodSync(dir, 0o755);
    env = {
      POSSYNC_DATA_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()), TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()), HTTP_PORT: '0', SANDBOX_PORT: String(await freePort()),
      PUSH_QUIET_WINDOW_MS: '300', PUSH_IDLE_TIMEOUT_MS: '3000', LOG_LEVEL: 'warn', PATH: process.env.PATH, TEMPORAL_CLI: process.env.TEMPORAL_CLI,
    };
  });
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** What `npm start` does (scripts/dev-stack.ts): the stack, then for a new connection the catalog and the history. */
  async function npmStart(): Promise<Stack> {
    stack = await startStack({ config: loadConfig(env), log: createLogger('warn'), startConnections: true, env, headless: true });
    if (isNew(stack)) {
      await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
        workflowId: catalogSyncWorkflowId(CONNECTION), taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: CONNECTION }],
        workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      const s = stack;
      await seedDemoHistory({ db: s.db, sandbox: s.sandbox!, afterCommit: () => s.dispatcher.kick() }, CONNECTION, { count: 200 });
    }
    return stack;
  }

  const isNew = (s: Stack) => s.connections?.connections.find((c) => c.id === CONNECTION)?.isNew;

  const shopHas = (s: Stack, sku: string, check: (p: any) => boolean) => waitFor(`${sku} in the sandbox store`, () => {
    const p = s.sandbox!.state.findBySku(sku);
    return p && check(p) ? p : undefined;
  });

  const settled = (s: Stack) => waitFor('every push done', async () =>
    !(await s.db('products').where({ push_pending: true }).first('id')) && !(await s.db('batch_push_queue').first('product_id')));

  async function noFailures(s: Stack): Promise<void> {
    await settled(s);
    assert.deepEqual(await s.db('push_failures').select('product_id', 'last_error'), []);
  }

  it('the sandbox store keeps its products, stock and orders across a restart, and a reset starts it over', async () => {
    const first = await npmStart();
    assert.equal(first.sandbox!.restored, false);
    assert.equal(isNew(first), true);
    const api = apiClient(first);
    const added = await api.post('/api/products', { sku: 'MY-001', type: 'simple', name: 'My first product', retail_price: 12, channels: ['in_store', 'online'] });
    assert.equal(added.status, 201, JSON.stringify(added.data));
    const connection = await first.db('connections as c').join('registers as r', 'r.id', 'c.register_id').where('c.id', CONNECTION).first('r.outlet_id', 'c.register_id');
    assert.equal((await api.post('/api/stock-orders', { outlet_id: connection.outlet_id, lines: [{ sku: 'MY-001', received: 4 }] })).status, 201);
    const mine = await shopHas(first, 'MY-001', (p) => p.stock_quantity === 4);
    await settled(first);
    const demo = first.sandbox!.state.findBySku('DEMO-001');
    const orders = first.sandbox!.state.orders().length;
    await first.stop();
    stack = undefined;
    assert.ok(fs.existsSync(sandboxStateFile(dir, CONNECTION)), 'the sandbox store is in the data folder');

    const second = await npmStart();
    assert.equal(second.sandbox!.restored, true);
    assert.equal(isNew(second), false, 'nothing is pushed again');
    assert.equal(second.sandbox!.state.findBySku('MY-001').id, mine.id);
    assert.equal(second.sandbox!.state.findBySku('DEMO-001').stock_quantity, demo.stock_quantity);
    assert.equal(second.sandbox!.state.orders().length, orders);
    const api2 = apiClient(second);
    assert.equal((await api2.post('/api/sales', { register_id: connection.register_id, lines: [{ sku: 'MY-001', quantity: 1 }, { sku: 'DEMO-001', quantity: 1 }] })).status, 201);
    assert.equal((await api2.post('/api/products', { sku: 'MY-001', type: 'simple', name: 'My first product, renamed', retail_price: 12, channels: ['in_store', 'online'] })).status, 200);
    await shopHas(second, 'MY-001', (p) => p.stock_quantity === 3 && p.name === 'My first product, renamed' && p.id === mine.id);
    await shopHas(second, 'DEMO-001', (p) => p.stock_quantity === demo.stock_quantity - 1);
    await noFailures(second);
    await second.stop();
    stack = undefined;

    const reset = await run(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, '..', '..', 'scripts', 'cli.ts'), 'sandbox', 'reset', CONNECTION], {
      env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: 'true' }, timeout: 120_000,
    });
    assert.match(reset.stdout, /emptied the sandbox store of woo-main/);

    const third = await npmStart();
    assert.equal(third.sandbox!.restored, false);
    assert.equal(isNew(third), true, 'an empty sandbox store gets the catalog again');
    const again = await shopHas(third, 'MY-001', (p) => p.stock_quantity === 3 && p.name === 'My first product, renamed');
    assert.ok(again.id > mine.id, 'the reset store gives out no id twice');
    assert.ok(third.sandbox!.state.products().length >= 46, 'the demo catalog is in the store again');
    await noFailures(third);
  });
});
