import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import axios, { type AxiosInstance } from 'axios';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../server/app';
import { CLOSED_SECURITY, type SecurityConfig } from '../server/auth/settings';
import { adminToken, anonymousClient, apiClient, tillClient } from './helpers/api';
import { possync } from './helpers/processes';
import { simpleProduct, uniqueSku } from './helpers/shop';
import { useShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');

/** Issue 9 "A locked door": bearer tokens with roles, and what keeps another site's page from writing. */
describe('a locked door: tokens, roles, browser guards, webhook secrecy (issue 9)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);
  let admin: AxiosInstance;
  let till: AxiosInstance;
  let anon: AxiosInstance;
  const servers: FastifyInstance[] = [];

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    admin = apiClient(stack);
    till = await tillClient(stack);
    anon = anonymousClient(stack);
    const res = await admin.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [] });
    assert.notEqual(res.status, 401, 'the admin token of the data folder is accepted');
  });
  after(async () => {
    for (const s of servers) await s.close();
  });

  const productCount = async (sku: string) => Number((await stack.db('products').where({ sku }).count({ n: '*' }))[0]!.n);
  const newProduct = async () => {
    const sku = uniqueSku('AUTH');
    assert.equal((await admin.post('/api/products', simpleProduct(sku))).status, 201);
    assert.equal((await admin.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku, counted: 10 }] })).status, 201);
    return sku;
  };

  /** A second POS API on the stack's database with the given settings. */
  async function serverWith(security: Partial<SecurityConfig>): Promise<string> {
    const server = buildServer({
      db: stack.db, afterCommit: () => undefined, webhookSecret: () => undefined, startOrderSync: async () => false,
      security: { ...CLOSED_SECURITY, ...security },
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    return `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  }

  it('401 without a token or with an unknown one (WWW-Authenticate says which); health probes stay public', async () => {
    for (const [method, path] of [['get', '/api/products'], ['post', '/api/sales'], ['post', '/api/products'], ['get', '/api/health'], ['get', '/api/no-such-route']] as const) {
      const res = await anon.request({ method, url: path, data: method === 'post' ? {} : undefined });
      assert.equal(res.status, 401, `${method} ${path}: ${JSON.stringify(res.data)}`);
      assert.equal(res.data.error, 'unauthorized');
      assert.match(res.data.message, /bearer token/);
      assert.match(String(res.headers['www-authenticate']), /^Bearer realm="possync"$/);
    }
    const unknown = await apiClient(stack, 'pst_not-a-token-anyone-was-given').get('/api/products');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.data.error, 'invalid_token');
    assert.match(String(unknown.headers['www-authenticate']), /error="invalid_token"/);
    assert.equal((await anon.get('/api/health/live')).status, 200);
    assert.equal((await anon.get('/api/health/ready')).status, 200);
  });

  it('a till records sales and reads, but gets 403 naming the admin role for products, imports and tokens; an admin may do all', async () => {
    const sku = await newProduct();
    const sale = await till.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] });
    assert.equal(sale.status, 201, JSON.stringify(sale.data));
    assert.equal((await till.post('/api/stock-adjustments', { outlet_id: shop.outletId, reason: 'damaged', lines: [{ sku, delta: -1 }] })).status, 201);
    assert.equal((await till.get('/api/products', { params: { sku } })).status, 200);

    const created = uniqueSku('TILLNO');
    const refused = await till.post('/api/products', simpleProduct(created));
    assert.equal(refused.status, 403);
    assert.equal(refused.data.error, 'forbidden');
    assert.equal(refused.data.required_role, 'admin');
    assert.match(refused.data.message, /POST \/api\/products needs the admin role; token "till-[^"]+" has role till/);
    assert.equal(await productCount(created), 0, 'nothing written');
    const csv = await till.post('/api/products/import', `sku,name,retail_price\n${created},X,1\n`, { headers: { 'content-type': 'text/csv' } });
    assert.equal(csv.status, 403);
    assert.equal((await till.get('/api/tokens')).status, 403);
    assert.equal((await till.post('/api/tokens', { name: uniqueSku('t'), role: 'admin' })).status, 403, 'a till cannot make itself an admin');
    assert.equal((await till.post('/api/some-future-route', {})).status, 403, 'a route not listed as a till operation is admin');
    assert.equal(await productCount(created), 0);

    assert.equal((await admin.post('/api/products', simpleProduct(created))).status, 201);
    assert.equal(await productCount(created), 1);
  });

  it('a token created with `possync tokens create` works for its role; once revoked it is refused', async () => {
    const name = `cli-till-${process.pid}-${Date.now() % 100000}`;
    const made = await possync(stack, ['tokens', 'create', name, '--role', 'till', '--json']);
    assert.equal(made.code, 0, made.stderr);
    const { token, role } = JSON.parse(made.stdout);
    assert.equal(role, 'till');
    assert.match(token, /^pst_[A-Za-z0-9_-]{43}$/);
    const row = await stack.db('api_tokens').where({ name }).first();
    assert.equal(row.token_hash, crypto.createHash('sha256').update(token).digest('hex'), 'only the hash is kept');
    assert.ok(!JSON.stringify(row).includes(token));

    const api = apiClient(stack, token);
    const sku = await newProduct();
    assert.equal((await api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] })).status, 201);
    assert.equal((await api.post('/api/products', simpleProduct(uniqueSku('CLI')))).status, 403);

    const list = await possync(stack, ['tokens', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${name}\\s+till`));
    assert.match(list.stdout, /local-admin\s+admin/);
    assert.ok(!list.stdout.includes(token), 'tokens are never listed');

    const revoked = await possync(stack, ['tokens', 'revoke', name]);
    assert.equal(revoked.code, 0, revoked.stderr);
    const after = await api.get('/api/products');
    assert.equal(after.status, 401);
    assert.equal(after.data.error, 'invalid_token');
    assert.equal((await api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] })).status, 401);
    assert.notEqual((await possync(stack, ['tokens', 'create', name, '--role', 'admin'])).code, 0, 'a revoked name is not reused');
  });

  it('the CLI sends POSSYNC_TOKEN, else the admin token of its data folder; without either it says where it looked', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-notoken-'));
    const cli = (env: NodeJS.ProcessEnv) => run(process.execPath, ['-r', 'ts-node/register', 'scripts/cli.ts', '--api', stack.httpUrl, 'tokens', 'list'], {
      cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, TS_NODE_TRANSPILE_ONLY: '1', ...env }, timeout: 120_000,
    }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    try {
      const none = await cli({ POSSYNC_DATA_DIR: empty });
      assert.notEqual(none.code, 0);
      assert.match(none.stderr, /refused no token \(none in POSSYNC_TOKEN or .*admin-token\)/);
      const fromFolder = await cli({ POSSYNC_DATA_DIR: stack.config.dataDir });
      assert.equal(fromFolder.code, 0, fromFolder.stderr);
      assert.match(fromFolder.stdout, /local-admin/);
      const wrong = await cli({ POSSYNC_DATA_DIR: stack.config.dataDir, POSSYNC_TOKEN: 'pst_wrong-wrong-wrong-wrong-wrong' });
      assert.match(wrong.stderr, /refused the token from POSSYNC_TOKEN/, 'POSSYNC_TOKEN comes first');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses writes with text/plain or a form content type (415 naming Content-Type); a CSV import needs text/csv', async () => {
    const sku = uniqueSku('PLAIN');
    const csv = `sku,name,retail_price,stock:${(await stack.db('outlets').where({ id: shop.outletId }).first('name')).name}\n${sku},Cross-site,1,999\n`;
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await admin.post('/api/products/import', csv, { headers: { 'content-type': type } });
      assert.equal(res.status, 415, `${type}: ${JSON.stringify(res.data)}`);
      assert.equal(res.data.problems[0].field, 'Content-Type');
      assert.match(res.data.message, /Content-Type .* is not accepted for writes; send text\/csv/);
    }
    const sale = await admin.post('/api/sales', JSON.stringify({ register_id: shop.registerId, lines: [{ sku: 'X', quantity: 1 }] }), { headers: { 'content-type': 'text/plain' } });
    assert.equal(sale.status, 415);
    assert.match(sale.data.message, /send application\/json/);
    assert.equal(await productCount(sku), 0, 'nothing written');
    const ok = await admin.post('/api/products/import', csv, { headers: { 'content-type': 'text/csv' } });
    assert.equal(ok.status, 201, JSON.stringify(ok.data));
    assert.equal(await productCount(sku), 1);
  });

  it('refuses a Host it was not configured for (DNS rebinding); IP literals, localhost and POSSYNC_ALLOWED_HOSTS pass', async () => {
    const bad = await admin.get('/api/products', { headers: { host: 'evil.example:3000' } });
    assert.equal(bad.status, 421);
    assert.equal(bad.data.problems[0].field, 'Host');
    assert.match(bad.data.message, /POSSYNC_ALLOWED_HOSTS/);
    assert.equal((await anon.get('/api/health/live', { headers: { host: 'evil.example' } })).status, 421, 'even the public routes');
    assert.equal((await admin.get('/api/products', { headers: { host: 'localhost:3000' } })).status, 200);
    const url = await serverWith({ allowedHosts: ['pos.example.com'] });
    const other = axios.create({ baseURL: url, validateStatus: () => true, headers: { authorization: `Bearer ${adminToken(stack)}` } });
    assert.equal((await other.get('/api/products', { headers: { host: 'pos.example.com' } })).status, 200);
    assert.equal((await other.get('/api/products', { headers: { host: 'pos.example.com.evil.example' } })).status, 421);
  });

  it('CORS is closed: a preflight from another site gets no Access-Control-Allow-Origin, and its writes are refused; an origin in POSSYNC_CORS_ORIGINS is allowed', async () => {
    const preflight = { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' };
    const closed = await anon.options('/api/sales', { headers: preflight });
    assert.equal(closed.status, 403);
    assert.equal(closed.data.error, 'cors_closed');
    assert.equal(closed.headers['access-control-allow-origin'], undefined);
    const sku = uniqueSku('CORS');
    const write = await admin.post('/api/products', simpleProduct(sku), { headers: { origin: 'https://evil.example' } });
    assert.equal(write.status, 403);
    assert.equal(write.headers['access-control-allow-origin'], undefined);
    assert.equal(await productCount(sku), 0);

    const url = await serverWith({ corsOrigins: ['https://pos.example.com'] });
    const open = await axios.options(`${url}/api/sales`, { validateStatus: () => true, headers: { ...preflight, origin: 'https://pos.example.com' } });
    assert.equal(open.status, 204);
    assert.equal(open.headers['access-control-allow-origin'], 'https://pos.example.com');
    assert.match(String(open.headers['access-control-allow-headers']), /authorization/);
    const stillClosed = await axios.options(`${url}/api/sales`, { validateStatus: () => true, headers: preflight });
    assert.equal(stillClosed.status, 403);
  });

  it('GET /metrics: loopback without a token by default; POSSYNC_METRICS_ACCESS=token asks for one', async () => {
    const local = await anon.get('/metrics');
    assert.notEqual(local.status, 401, 'the local default lets a loopback scraper in');
    const url = await serverWith({ metricsAccess: 'token' });
    assert.equal((await axios.get(`${url}/metrics`, { validateStatus: () => true })).status, 401);
  });

  it('a webhook for an unknown connection is answered exactly like a bad signature on a known one', async () => {
    const secret = 'auth-test-secret';
    stack.webhookSecrets.set(shop.connectionId, secret);
    const body = JSON.stringify({ id: 424242, status: 'processing' });
    const json = { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created' };
    const post = (connection: string, headers: Record<string, string>) =>
      anon.post(`/webhooks/woocommerce/${connection}`, body, { headers, transformRequest: [(d: unknown) => d] });
    const answer = (r: { status: number; data: unknown }) => ({ status: r.status, data: r.data });
    const wrong = crypto.createHmac('sha256', 'not-the-secret').update(body).digest('base64');
    const rightForKnown = crypto.createHmac('sha256', secret).update(body).digest('base64');
    const known = answer(await post(shop.connectionId, { ...json, 'x-wc-webhook-signature': wrong }));
    assert.equal(known.status, 401);
    assert.deepEqual(answer(await post('no-such-connection', { ...json, 'x-wc-webhook-signature': wrong })), known);
    assert.deepEqual(answer(await post('no-such-connection', { ...json, 'x-wc-webhook-signature': rightForKnown })), known);
    assert.deepEqual(answer(await post('no-such-connection', json)), answer(await post(shop.connectionId, json)), 'unsigned: the same');
    const ping = (c: string) => anon.post(`/webhooks/woocommerce/${c}`, 'webhook_id=7', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.deepEqual(answer(await ping('no-such-connection')), answer(await ping(shop.connectionId)), 'the ping: the same');
  });
});
