// Issue 9 "Connections" and issue 8 points 2, 3, 8: npm start's connections, started for real
// (embedded PostgreSQL, Temporal dev server, worker, POS API, sandbox stores over HTTP, the CLI).
import assert from 'node:assert/strict';
import { startSmartBillSandbox } from '../../sandbox/smartbill';
import { startEcomSandbox } from '../../sandbox/ecom';
import { orderPollStatusQuery } from '../../workflows/contracts/order-sync';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../stack/config';
import { createLogger } from '../../stack/logger';
import { startStack, type Stack } from '../../stack/start';
import { freePort } from '../../stack/temporal-dev-server';
import { startWooSandbox, type WooSandbox } from '../../sandbox/woocommerce';
import { apiClient } from '../helpers/api';
import { simpleProduct, uniqueSku, waitFor } from '../helpers/shop';
import { workflowBundleForTests } from '../helpers/workflow-bundle';
import { webhookSecretFile } from '../../stack/webhook-secret-store';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', '..', 'scripts', 'possync.js');

async function startNpmStack(dataDir: string, env: NodeJS.ProcessEnv): Promise<Stack> {
  const freePorts: Record<string, string> = {};
  for (const name of ['EMBEDDED_PG_PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT']) freePorts[name] = String(await freePort());
  const config = loadConfig({
    ...env, ...freePorts, POSSYNC_DATA_DIR: dataDir, TEMPORAL_CLI: process.env.TEMPORAL_CLI, PATH: process.env.PATH,
    HTTP_PORT: '0', SANDBOX_PORT: '0', SANDBOX_LATENCY_MS: '0', PUSH_QUIET_WINDOW_MS: '300', LOG_LEVEL: 'warn',
  }, dataDir);
  const code = fs.readFileSync(await workflowBundleForTests(), 'utf8');
  return startStack({ config, log: createLogger('warn'), headless: true, startConnections: true, env, workflowBundle: { code } });
}

function cli(stack: Stack, args: string[], env: NodeJS.ProcessEnv = {}) {
  const http = new URL(stack.httpUrl);
  return run('node', [CLI, ...args], {
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, HTTP_HOST: http.hostname, HTTP_PORT: http.port, TEMPORAL_PORT: stack.temporalAddress.split(':').pop(),
      POSSYNC_DATA_DIR: stack.config.dataDir, ...env,
    },
    timeout: 120_000,
  }).catch((err: { stdout: string; stderr: string; code: number }) => ({ stdout: err.stdout, stderr: err.stderr, code: err.code }));
}

function tempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `possync-${tag}-`));
  // Postgres runs as the postgres user when we are root: the folder must be reachable by it.
  fs.chmodSync(dir, 0o755);
  return dir;
}

describe('connections at npm start (issue 9, issue 8 points 2, 3)', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  const shops: WooSandbox[] = [];
  const closers: (() => Promise<void>)[] = [];
  let stack: Stack | undefined;

  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });
  after(async () => {
    for (const s of shops) await s.close();
    for (const close of closers) await close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const shop = async () => {
    const s = await startWooSandbox();
    shops.push(s);
    return s;
  };

  it('checks every connection at start, blocks the failing ones from pushes, unblocks them when fixed (reload, test), deactivates removed ones keeping links, keeps webhook secrets across starts', async () => {
    const dataDir = tempDir('conn-a');
    dirs.push(dataDir);
    const realShop = await shop();
    const laterShop = await shop();
    const closedPort = await freePort();
    const smartbill = await startSmartBillSandbox();
    closers.push(() => smartbill.close());
    const file = path.join(dataDir, 'connections.yaml');
    const connectionsYaml = (extra = '') => `
connections:
  - { id: sbx, kind: woocommerce, sandbox: true, register: { name: Sandbox Register, outlet: Sandbox Outlet } }
  - id: shop-b
    kind: woocommerce
    url: ${realShop.url}
    consumer_key: { env: SHOP_B_KEY }
    consumer_secret: { env: SHOP_B_SECRET }
    register: { name: Shop B Register, outlet: Shop B Outlet }
    language: nl
  - id: shop-down
    kind: woocommerce
    url: http://127.0.0.1:${closedPort}
    consumer_key: { env: SHOP_B_KEY }
    consumer_secret: { env: SHOP_B_SECRET }
    register: { name: Shop B Register }
  - { id: bill, kind: smartbill, url: '${smartbill.apiUrl}', username: ${smartbill.email}, company_vat: ${smartbill.cif}, token: { env: BILL_TOKEN }, warehouse: depozit, shop_connection: sbx }
${extra}`;
    fs.writeFileSync(file, connectionsYaml());
    const env: NodeJS.ProcessEnv = {
      POSSYNC_CONNECTIONS: file, SHOP_B_KEY: realShop.consumerKey, SHOP_B_SECRET: 'cs_wrong0000000000000000000000000000000000', BILL_TOKEN: smartbill.token,
    };
    stack = await startNpmStack(dataDir, env);
    const started = new Map(stack.connections!.connections.map((c) => [c.id, c]));

    // Point 3: a report per connection, saying exactly what is wrong.
    assert.equal(started.get('sbx')!.check.ok, true, JSON.stringify(started.get('sbx')!.check));
    assert.equal(started.get('shop-b')!.check.ok, false);
    assert.deepEqual(started.get('shop-b')!.check.steps, { reachable: 'ok', credentials: 'failed', read: 'not checked', write: 'not checked' });
    assert.match(started.get('shop-b')!.check.problem!, /refuses the consumer secret/);
    assert.equal(started.get('shop-down')!.check.steps.reachable, 'failed');
    assert.match(started.get('shop-down')!.check.problem!, /cannot reach http:\/\/127\.0\.0\.1:\d+\/wp-json\/wc\/v3/);
    // A SmartBill connection is checked against SmartBill's API and given to its channel (issue 12).
    assert.equal(started.get('bill')!.check.ok, true, JSON.stringify(started.get('bill')!.check));
    assert.deepEqual([stack.smartbill.get('bill')?.shopConnectionId, stack.smartbill.get('bill')?.warehouse], ['sbx', 'depozit']);
    const blocked = (await stack.db('connection_blocks').orderBy('connection_id').pluck('connection_id')) as string[];
    assert.deepEqual(blocked, ['shop-b', 'shop-down']);
    // Point 2: a start with a real shop seeds nothing.
    assert.equal(stack.connections!.demoSeeded, false);
    assert.equal(Number((await stack.db('products').count({ n: '*' }))[0]!.n), 0);
    const stored = await stack.db('connections').where({ id: 'bill' }).first();
    assert.equal(stored.kind, 'smartbill');
    assert.equal(stored.settings.username, smartbill.email);

    // A product sold online reaches the sandbox; the blocked shop gets nothing and the product waits for it.
    const api = apiClient(stack);
    const sku = uniqueSku('CONN');
    assert.equal((await api.post('/api/products', simpleProduct(sku))).status, 201);
    const product = await stack.db('products').where({ sku }).first('id');
    await waitFor('the product in the sandbox', () => stack!.sandbox!.state.findBySku(sku));
    await waitFor('the push to shop-b waiting for the block', () =>
      stack!.db('push_failures').where({ connection_id: 'shop-b', product_id: product.id, will_retry: true }).first());
    assert.equal(realShop.state.findBySku(sku), undefined);

    // The webhook secret of a shop configured without one is generated once, owner-only.
    const secretFile = webhookSecretFile(dataDir, 'shop-b');
    assert.equal(fs.statSync(secretFile).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(secretFile, 'utf8').trim(), stack.webhookSecrets.get('shop-b'));
    const sandboxSecret = stack.webhookSecrets.get('sbx');
    assert.ok(sandboxSecret);

    // `possync connections test` says what is wrong and fails.
    const test = await cli(stack, ['connections', 'test', 'shop-b']);
    assert.equal((test as { code?: number }).code, 1, test.stderr);
    assert.match(test.stdout, /shop-b: FAILED \(reachable ok, credentials failed/);
    assert.match(test.stdout, /Invalid signature/);

    // Fixed: the right secret, then `possync connections reload`: checked, unblocked, and what waited arrives.
    env.SHOP_B_SECRET = realShop.consumerSecret;
    fs.writeFileSync(file, connectionsYaml().replace('language: nl', 'language: nl-BE'));
    const reload = await cli(stack, ['connections', 'reload', '--json']);
    assert.equal(reload.stderr, '');
    const report = JSON.parse(reload.stdout);
    assert.deepEqual(report.changed, [{ id: 'shop-b', fields: ['settings'] }]);
    assert.equal(report.checks.find((c: { connectionId: string }) => c.connectionId === 'shop-b').ok, true);
    await waitFor('the product in shop-b once unblocked', () => realShop.state.findBySku(sku));
    assert.equal(await stack.db('connection_blocks').where({ connection_id: 'shop-b' }).first(), undefined);

    // A file that does not validate is refused by reload with the connection and field, and nothing changes.
    fs.writeFileSync(file, connectionsYaml().replace('language: nl', 'language: nl\n    register_colour: blue'));
    const refused = await cli(stack, ['connections', 'reload']);
    assert.equal((refused as { code?: number }).code, 1);
    assert.match(refused.stderr, /connection shop-b \(connections\[1\]\).*register_colour/);
    assert.equal((await stack.db('connections').where({ id: 'shop-b' }).first('settings')).settings.language, 'nl-BE');

    // `possync webhooks ensure` shows the secret generated for a connection, and where it is kept.
    const ensured = await cli(stack, ['webhooks', 'ensure', 'sbx'], { POSSYNC_DATA_DIR: dataDir });
    assert.match(ensured.stdout, new RegExp(`kept in ${webhookSecretFile(dataDir, 'sbx')}: ${sandboxSecret}`));

    // `possync connections` lists health.
    const list = await cli(stack, ['connections', '--json']);
    const health = new Map((JSON.parse(list.stdout) as { id: string }[]).map((h) => [h.id, h as any]));
    assert.equal(health.get('shop-b').lastCheck.ok, true);
    assert.ok(health.get('shop-b').lastSuccessAt);
    assert.match(health.get('shop-down').blocked.reason, /cannot reach/);
    assert.match(health.get('sbx').webhooks.state, /2 active/);

    // The unreachable store comes up: its check passes (`possync connections test`), the block is lifted, what waited arrives.
    const cameUp = await startWooSandbox({ port: closedPort, consumerKey: realShop.consumerKey, consumerSecret: realShop.consumerSecret });
    shops.push(cameUp);
    const passed = await cli(stack, ['connections', 'test', 'shop-down']);
    assert.match(passed.stdout, /shop-down: ok \(reachable ok, credentials ok, read ok, write ok\)/);
    await waitFor('the product in shop-down once it is reachable', () => cameUp.state.findBySku(sku));

    // Removed from the file: deactivated, links kept, schedules gone; a new one is added and checked.
    fs.writeFileSync(file, connectionsYaml(`  - id: shop-later
    kind: woocommerce
    url: ${laterShop.url}
    consumer_key: { env: LATER_KEY }
    consumer_secret: { env: LATER_SECRET }
    register: { name: Sandbox Register }
    settings: { order_poll_seconds: 120 }
`).replace(/  - id: shop-b[\s\S]*?language: nl\n/, ''));
    env.LATER_KEY = laterShop.consumerKey;
    env.LATER_SECRET = laterShop.consumerSecret;
    // A push still waiting for shop-b when it goes is dropped with it, not retried for ever.
    await stack.db.raw(`INSERT INTO batch_push_queue (connection_id, product_id, seq, reason) VALUES ('shop-b', ?, nextval('batch_push_seq'), 'sale')
                        ON CONFLICT (connection_id, product_id) DO NOTHING`, [product.id]);
    const second = JSON.parse((await cli(stack, ['connections', 'reload', '--json'])).stdout);
    assert.equal(Number((await stack.db('batch_push_queue').where({ connection_id: 'shop-b' }).count({ n: '*' }))[0]!.n), 0);
    assert.deepEqual(second.added, ['shop-later']);
    assert.deepEqual(second.deactivated, ['shop-b']);
    assert.equal((await stack.db('connections').where({ id: 'shop-b' }).first('active')).active, false);
    assert.ok(await stack.db('product_links').where({ connection_id: 'shop-b', product_id: product.id }).first());
    // A deactivated connection polls nothing: its long-lived order poll was cancelled.
    await waitFor('the order poll of shop-b ended', async () => (await stack!.client.workflow.getHandle('order-poll/shop-b').describe()).status.name !== 'RUNNING');
    assert.equal(second.checks.find((c: { connectionId: string }) => c.connectionId === 'shop-later').ok, true);
    // Its own settings shape its order poll (one long-lived workflow per connection, issue 8 point 7).
    assert.equal((await stack.client.workflow.getHandle('order-poll/shop-later').query(orderPollStatusQuery)).everySeconds, 120);
    const laterSecret = stack.webhookSecrets.get('shop-later');

    // A second start on the same data folder keeps every generated webhook secret.
    await stack.stop();
    stack = await startNpmStack(dataDir, env);
    assert.equal(stack.webhookSecrets.get('sbx'), sandboxSecret);
    assert.equal(stack.webhookSecrets.get('shop-later'), laterSecret);
    assert.equal(stack.connections!.connections.find((c) => c.id === 'shop-later')!.check.ok, true);
  });

  it('POSSYNC_DEMO=false starts the sandbox empty; the demo is seeded only for the sandbox, and a real shop never starts on it', async () => {
    const empty = tempDir('conn-empty');
    dirs.push(empty);
    stack = await startNpmStack(empty, { POSSYNC_DEMO: 'false' });
    assert.deepEqual(stack.connections!.connections.map((c) => [c.id, c.sandbox, c.check.ok]), [['woo-main', true, true]]);
    assert.equal(stack.connections!.demoSeeded, false);
    assert.equal(Number((await stack.db('products').count({ n: '*' }))[0]!.n), 0);
    assert.ok((await stack.db('connections').where({ id: 'woo-main' }).first('register_id')).register_id);
    await stack.stop();

    const demo = tempDir('conn-demo');
    dirs.push(demo);
    stack = await startNpmStack(demo, {});
    assert.equal(stack.connections!.demoSeeded, true);
    assert.equal(Number((await stack.db('products').count({ n: '*' }))[0]!.n), 50);
    await stack.stop();
    stack = undefined;

    const realShop = await shop();
    await assert.rejects(
      startNpmStack(demo, { WOO_URL: realShop.url, WOO_CONSUMER_KEY: realShop.consumerKey, WOO_CONSUMER_SECRET: realShop.consumerSecret }),
      (err: unknown) => err instanceof ConfigError && /demo catalog, which must never reach a real shop \(woo-main\)/.test(err.message),
    );
    assert.equal(realShop.state.products().length, 0);
    assert.equal(realShop.stats().requests ?? 0, 0);
  });

  it('an ecom entry with sandbox: true runs an embedded eCom sandbox: checked, registered, listed, and the POS products reach it; a refused secret is named and blocked (issue 10)', async () => {
    const dataDir = tempDir('conn-ecom');
    dirs.push(dataDir);
    const other = await startEcomSandbox();
    closers.push(() => other.close());
    const file = path.join(dataDir, 'connections.yaml');
    fs.writeFileSync(file, `
connections:
  - { id: ecom-sbx, kind: ecom, sandbox: true, register: { name: eCom Register, outlet: eCom Outlet } }
  - { id: ecom-bad, kind: ecom, url: '${other.url}', api_key: { env: ECOM_KEY }, api_secret: { env: ECOM_SECRET }, language: en, register: { name: eCom Register } }
`);
    stack = await startNpmStack(dataDir, { POSSYNC_CONNECTIONS: file, ECOM_KEY: other.apiKey, ECOM_SECRET: 'x'.repeat(32) });
    const started = new Map(stack.connections!.connections.map((c) => [c.id, c]));
    assert.ok(stack.ecomSandbox);
    assert.equal(started.get('ecom-sbx')!.check.ok, true, JSON.stringify(started.get('ecom-sbx')!.check));
    assert.deepEqual(started.get('ecom-sbx')!.check.steps, { reachable: 'ok', credentials: 'ok', read: 'ok', write: 'ok' });
    assert.equal(started.get('ecom-sbx')!.url, stack.ecomSandbox.url);
    assert.deepEqual(stack.ecom.get('ecom-sbx'), {
      id: 'ecom-sbx', baseUrl: stack.ecomSandbox.url, apiKey: stack.ecomSandbox.apiKey, apiSecret: stack.ecomSandbox.apiSecret, language: 'nl', budget: { timeScale: 1 },
    });
    // The check writes nothing: the write step is a variant the API refuses.
    assert.equal(stack.ecomSandbox.state.variants.size, 0);
    assert.deepEqual(started.get('ecom-bad')!.check.steps, { reachable: 'ok', credentials: 'failed', read: 'not checked', write: 'not checked' });
    assert.match(started.get('ecom-bad')!.check.problem!, /refuses the API key and secret/);
    assert.deepEqual(await stack.db('connection_blocks').pluck('connection_id'), ['ecom-bad']);

    const sku = uniqueSku('CONNE');
    assert.equal((await apiClient(stack).post('/api/products', simpleProduct(sku))).status, 201);
    await waitFor('the product in the eCom sandbox', () => [...stack!.ecomSandbox!.state.variants.values()].some((v) => v.sku === sku));
    assert.equal(other.state.variants.size, 0);

    const list = await cli(stack, ['connections', '--json']);
    const health = new Map((JSON.parse(list.stdout) as { id: string; kind: string }[]).map((h) => [h.id, h as any]));
    assert.equal(health.get('ecom-sbx').kind, 'ecom');
    assert.equal(health.get('ecom-sbx').lastCheck.ok, true);
    assert.match(health.get('ecom-bad').blocked.reason, /refuses the API key and secret/);
  });
});
