import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { EcomClient } from '../../activities/ecom/client';
import type { BudgetLimits } from '../../activities/ecom/budget-state';
import type { EcomBudget } from '../../activities/ecom/budget-waiters';
import { SharedRequestBudget, loadSharedState, sharedBudgetFor } from '../../activities/ecom/shared-budget';
import { type Db, connectDb } from '../../db/connection';
import { useTestStack } from '../helpers/suite-setup';
import { waitFor } from '../helpers/shop';
import { useEcomSandbox } from '../sandbox/helpers/ecom';

const ROOT = path.join(__dirname, '..', '..');

describe('eCom request budget shared through PostgreSQL', function () {
  this.timeout(120_000);
  const stack = useTestStack();
  const sandbox = useEcomSandbox();
  const pools: Db[] = [];
  const children: ChildProcess[] = [];

  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(pools.map((db) => db.destroy()));
  });

  /** A database pool of its own: what another worker process would have. */
  function pool(): Db {
    const db = connectDb(stack.databaseUrl, { max: 6 });
    pools.push(db);
    return db;
  }

  const freshKey = () => `test-budget#${crypto.randomBytes(8).toString('hex')}`;

  function client(budget: EcomBudget): EcomClient {
    return new EcomClient({ baseUrl: sandbox().url, apiKey: sandbox().apiKey, apiSecret: sandbox().apiSecret, language: 'nl', ownBudget: budget });
  }

  /** test/ecom-budget/budget-child.ts as its own process on the same budget row; `line(text)` waits for that output line. */
  function child(args: string[], key: string, limits: Partial<BudgetLimits>, leaseMs: number) {
    const proc = spawn(process.execPath, ['-r', 'ts-node/register', 'test/ecom-budget/budget-child.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, TS_NODE_TRANSPILE_ONLY: '1', DATABASE_URL: stack.databaseUrl, BUDGET_KEY: key, BUDGET_LIMITS: JSON.stringify(limits),
        LEASE_MS: String(leaseMs), ECOM_URL: sandbox().url, ECOM_KEY: sandbox().apiKey, ECOM_SECRET: sandbox().apiSecret,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(proc);
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    return {
      proc,
      exited,
      line: (text: string) => waitFor(`the budget child to print "${text}"`, () => {
        if (out.split('\n').includes(text)) return true;
        if (proc.exitCode !== null) throw new Error(`the budget child exited (${proc.exitCode}) before "${text}":\n${out}`);
        return false;
      }),
    };
  }

  it('two processes hammering the sandbox together: no 429, the per-second cap held, the full windows used to ≥ 90%', async () => {
    const limits = { timeScale: 0.01, perSecond: 4 };
    const key = freshKey();
    const other = child(['hammer', '45'], key, limits, 30_000);
    await other.line('ready');
    sandbox().setRateLimit({ timeScale: 0.01, perSecond: 4, limits: [40, 3000, 12000] });
    const budget = new SharedRequestBudget(pool(), key, limits);
    const c = client(budget);
    other.proc.stdin!.write('go\n');
    await Promise.all([...Array.from({ length: 45 }, () => c.products.count()), other.line('done')]);
    await budget.settled();
    c.close();
    const stats = sandbox().stats();
    assert.equal(stats.rateLimited, 0, 'no request was refused');
    assert.equal(stats.requests, 90, 'each request was sent once');
    assert.ok(stats.peakPerSecond <= 4, `peak ${stats.peakPerSecond} per API second`);
    const full = stats.fiveMinuteWindows.slice(0, -1);
    assert.ok(full.length >= 2, 'the load spanned several windows');
    for (const w of full) assert.ok(w.used >= 36, `a full window used ${w.used} of 40`);
    const row = await budget.read();
    assert.equal(row.sent, 90, 'both processes counted in the one row');
    assert.equal(row.rateLimited, 0);
    assert.equal(row.leases.length, 0, 'every slot was given back');
  });

  it('a killed holder: its leases expire, its slots come back, and its unanswered requests count as used', async () => {
    const limits = { timeScale: 0.5, maxInFlight: 3 };
    const leaseMs = 1500;
    sandbox().setRateLimit({ timeScale: 0.5 });
    const key = freshKey();
    const holder = child(['hold', '3'], key, limits, leaseMs);
    await holder.line('ready');
    holder.proc.stdin!.write('go\n');
    await holder.line('held');
    const budget = new SharedRequestBudget(pool(), key, limits, { leaseMs });
    const before = await budget.read();
    assert.equal(before.leases.length, 3, 'the holder has every slot');
    const remaining = before.windows![0]!.remaining;
    holder.proc.kill('SIGKILL');
    await holder.exited;
    const grantedAt: number[] = [];
    const tickets = await Promise.all([1, 2, 3].map(async () => {
      const t = await budget.acquire('stock');
      grantedAt.push(Date.now());
      return t;
    }));
    const expiries = before.leases.map((l) => l.expiresAtMs).sort((x, y) => x - y);
    grantedAt.forEach((t, i) => assert.ok(t >= expiries[i]!, `slot ${i + 1} was granted only once dead lease ${i + 1} expired`));
    for (const t of tickets) t.done(undefined);
    await budget.settled();
    const after = await budget.read();
    assert.equal(after.leases.length, 0, 'every slot was given back');
    assert.equal(after.sent, 7, "the holder's count, its three held slots, and our three");
    assert.equal(after.windows![0]!.remaining, remaining - 3, 'the expired requests may have reached the shop: counted as used');
    assert.equal(sandbox().stats().rateLimited, 0);
  });

  it('stock writes of one process go before catalog edits another process queued earlier', async () => {
    const limits = { timeScale: 0.02 };
    sandbox().setRateLimit({ timeScale: 0.02, limits: [10, 3000, 12000] });
    const key = freshKey();
    const budgetA = new SharedRequestBudget(pool(), key, limits);
    const budgetB = new SharedRequestBudget(pool(), key, limits);
    const grants: string[] = [];
    const logged = (b: SharedRequestBudget, name: string): EcomBudget => ({
      limits: b.limits,
      acquire: async (priority, signal) => {
        const t = await b.acquire(priority, signal);
        grants.push(`${name}:${priority}`);
        return t;
      },
    });
    const a = client(logged(budgetA, 'A'));
    const b = client(logged(budgetB, 'B'));
    const product = await a.products.create({ title: 'Shared queue' });
    const [variant] = await a.variants.list({ product: product.id });
    const remaining = async () => (await budgetA.settled(), (await budgetA.read()).windows![0]!.remaining);
    for (let left = await remaining(); left > 0; left = await remaining()) await Promise.all(Array.from({ length: left }, () => a.products.count()));
    grants.length = 0;
    const catalog = [1, 2, 3, 4].map((i) => a.products.update(product.id, { title: `Shared queue ${i}` }, 'catalog'));
    await waitFor('process A to wait with its catalog edits', async () => Object.values((await budgetA.read()).waiting).some((w) => w.rank === 2));
    const stock = [1, 2, 3].map((i) => b.variants.update(variant!.id, { stockTracking: 'enabled', stockLevel: i }, 'stock'));
    await waitFor('process B to wait with its stock writes', async () => Object.values((await budgetB.read()).waiting).some((w) => w.rank === 0));
    await Promise.all([...catalog, ...stock]);
    assert.deepEqual(grants, ['B:stock', 'B:stock', 'B:stock', 'A:catalog', 'A:catalog', 'A:catalog', 'A:catalog']);
    assert.equal(sandbox().stats().rateLimited, 0);
    a.close();
    b.close();
  });

  it('a client built with budgetStore { db } spends the one shared budget of its key, named for its connection', async () => {
    const db = pool();
    const opts = { baseUrl: sandbox().url, apiKey: sandbox().apiKey, apiSecret: sandbox().apiSecret, language: 'nl', budget: { timeScale: 0.02 } };
    const c1 = new EcomClient({ ...opts, budgetStore: { db } });
    const c2 = new EcomClient({ ...opts, budgetStore: { db } });
    assert.equal(c1.budget, c2.budget);
    assert.equal(c1.budget, sharedBudgetFor(db, sandbox().url, sandbox().apiKey));
    assert.ok(c1.budget instanceof SharedRequestBudget);
    assert.ok(!c1.budget.key.includes(sandbox().apiKey), 'the key itself is never stored');
    await Promise.all([c1.products.count(), c2.products.count()]);
    await c1.budget.settled();
    const row = await c1.budget.read();
    assert.ok(row.sent >= 2);
    c1.close();
    c2.close();
  });

  it('drops expired leases and claims when the row is read, and counts an expired request as used', () => {
    const s = loadSharedState({
      windows: [{ limit: 300, remaining: 100, resetAtMs: 5000 }, { limit: 3000, remaining: 900, resetAtMs: 500 }],
      answered: [], blockedUntilMs: 0, sent: 4, rateLimited: 0, inFlight: 2,
      leases: [{ id: 'dead', expiresAtMs: 900 }, { id: 'live', expiresAtMs: 2000 }],
      waiting: { gone: { rank: 0, untilMs: 999 }, here: { rank: 2, untilMs: 1500 } },
    }, 1000);
    assert.deepEqual(s.leases.map((l) => l.id), ['live']);
    assert.equal(s.inFlight, 1);
    assert.deepEqual(Object.keys(s.waiting), ['here']);
    assert.equal(s.windows![0]!.remaining, 99, 'the open window loses the expired request');
    assert.equal(s.windows![1]!.remaining, 900, 'a window that reset since is left as observed');
  });
});
