import assert from 'node:assert/strict';
import { Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import axios, { type AxiosInstance } from 'axios';
import { connectDb, type Db } from '../db/connection';
import { buildServer } from '../server/app';
import { freePort } from '../stack/temporal-dev-server';
import { simpleProduct, uniqueSku, waitFor } from './helpers/shop';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';
import { useShop, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';
import { adminToken } from './helpers/api';

/** Issue 7.13: liveness and readiness apart; while the database is unreachable, 503 with Retry-After. */
describe('health: liveness, readiness and 503 while the database is unreachable (issue 7.13)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);
  const cleanups: (() => Promise<unknown>)[] = [];

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  /** A second POS API on its own pool, reaching the test database and Temporal as given. */
  async function apiServer(db: Db, checkTemporal: () => Promise<unknown>): Promise<AxiosInstance> {
    const server: FastifyInstance = buildServer({
      db, afterCommit: () => undefined, checkTemporal, webhookSecret: () => undefined, startOrderSync: async () => false,
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => server.close());
    const port = (server.server.address() as { port: number }).port;
    return axios.create({ baseURL: `http://127.0.0.1:${port}`, validateStatus: () => true, headers: { authorization: `Bearer ${adminToken(stack)}` } });
  }

  const temporalOfStack = () => stack.client.connection.withDeadline(Date.now() + 2000, () => stack.client.workflowService.getSystemInfo({}));

  it('the stack reports live, ready (database and Temporal) and each connection', async () => {
    const live = await shop.api.get('/api/health/live');
    assert.equal(live.status, 200);
    const ready = await shop.api.get('/api/health/ready');
    assert.equal(ready.status, 200, JSON.stringify(ready.data));
    assert.deepEqual(ready.data.checks, { database: { ok: true }, temporal: { ok: true } });
    const health = await shop.api.get('/api/health');
    assert.equal(health.status, 200);
    const mine = health.data.connections.find((c: { id: string }) => c.id === shop.connectionId);
    assert.ok(mine, JSON.stringify(health.data.connections));
    assert.equal(mine.active, true);
    assert.equal(typeof mine.queued_products, 'number');
  });

  it('while PostgreSQL is unreachable: live 200, ready 503 naming the database, operations 503 with Retry-After; all well once it is back', async () => {
    const sku = uniqueSku('HEALTH');
    assert.equal((await shop.api.post('/api/products', simpleProduct(sku))).status, 201);
    const url = new URL(stack.databaseUrl);
    // The embedded server's URL names its socket folder; it listens on 127.0.0.1 too.
    const host = decodeURIComponent(url.hostname).startsWith('/') ? '127.0.0.1' : url.hostname;
    const proxy: TcpProxy = await startTcpProxy(host, Number(url.port || 5432));
    cleanups.push(() => proxy.close());
    url.host = `127.0.0.1:${proxy.port}`;
    const db = connectDb(url.toString(), { max: 4, acquireTimeoutMs: 5000 });
    cleanups.push(() => db.destroy());
    const api = await apiServer(db, temporalOfStack);
    const sale = { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] };

    const up = await api.get('/api/health/ready');
    assert.equal(up.status, 200, JSON.stringify(up.data));
    assert.equal((await api.post('/api/sales', sale)).status, 201);

    await proxy.cut();
    assert.equal((await api.get('/api/health/live')).status, 200, 'the process is alive: no restart needed');
    const ready = await api.get('/api/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.data.checks.database.ok, false);
    assert.ok(ready.data.checks.database.error, 'the database check says why');
    assert.equal(ready.data.checks.temporal.ok, true, 'Temporal is reported on its own');
    assert.equal((await api.get('/api/health')).status, 503);

    const salesBefore = Number((await stack.db('sales').count({ n: '*' }))[0]!.n);
    for (const [method, path, body] of [['post', '/api/sales', sale], ['post', '/api/products', simpleProduct(uniqueSku('HEALTH'))], ['get', '/api/products', undefined]] as const) {
      const res = method === 'post' ? await api.post(path, body, { headers: { 'Idempotency-Key': uniqueSku('K') } }) : await api.get(path);
      assert.equal(res.status, 503, `${method} ${path}: ${res.status} ${JSON.stringify(res.data)}`);
      assert.equal(res.headers['retry-after'], '5');
      assert.equal(res.data.error, 'unavailable');
    }
    assert.equal(Number((await stack.db('sales').count({ n: '*' }))[0]!.n), salesBefore);

    await proxy.restore();
    await waitFor('ready again', async () => (await api.get('/api/health/ready')).status === 200);
    assert.equal((await api.post('/api/sales', sale)).status, 201);
  });

  it('while Temporal is unreachable: ready 503 naming Temporal, the database still ok', async () => {
    // No retry interceptor: a call fails at its deadline and leaves no retry timer behind.
    const dead = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] });
    cleanups.push(() => dead.close());
    const db = connectDb(stack.databaseUrl, { max: 2 });
    cleanups.push(() => db.destroy());
    const api = await apiServer(db, () => dead.withDeadline(Date.now() + 2000, () => dead.workflowService.getSystemInfo({})));
    assert.equal((await api.get('/api/health/live')).status, 200);
    const ready = await api.get('/api/health/ready');
    assert.equal(ready.status, 503, JSON.stringify(ready.data));
    assert.equal(ready.data.checks.database.ok, true);
    assert.equal(ready.data.checks.temporal.ok, false);
  });
});
