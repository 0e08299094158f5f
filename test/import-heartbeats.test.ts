import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { freshShop } from './helpers/shop';
import { whileHeartbeating } from '../activities/heartbeating';
import { createImportRunActivities } from '../activities/pos/import-runs';
import { useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/** Issue 7.9 (import side): long import activities heartbeat while they work, and a retry resumes from the details. */
describe('import activities heartbeat and resume (issue 7.9)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();

  it('heartbeats all along a long statement, not once at the start', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 600 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    // A statement that runs longer than the heartbeat timeout, as a backup of a large catalog does.
    await env.run(() => whileHeartbeating(() => stack.db.raw('SELECT pg_sleep(1.6)'), () => ({ step: 'copy' })));
    assert.ok(beats.length >= 3, `heartbeats while the statement ran (got ${beats.length})`);
    assert.deepEqual(beats[beats.length - 1], { step: 'copy' });
  });

  it('pushImportedProducts goes on from the last heartbeat of a dead attempt, and reports its progress', async () => {
    const shop = await freshShop(stack);
    await shop.sandbox.close();
    const tag = `HB${Date.now() % 100000}`;
    // push_pending already set: the marks bump versions without queueing 2,100 pushes in this test stack.
    const ids: number[] = (await stack.db.raw(
      `INSERT INTO products (sku, type, name, push_pending) SELECT ? || '-' || g, 'simple', 'heartbeat test', true FROM generate_series(1, 2100) g RETURNING id`,
      [tag],
    )).rows.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b);
    const [run] = await stack.db('import_runs').insert({ connection_id: shop.connectionId, workflow_id: 'hb-test', run_key: `hb-test/${tag}` }, ['id']);
    await stack.db('import_run_products').insert(ids.map((product_id) => ({ import_run_id: run.id, product_id })));

    const env = new MockActivityEnvironment({ heartbeatDetails: { done: 2000 }, heartbeatTimeoutMs: 15_000 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const { pushImportedProducts } = createImportRunActivities(stack.db);
    assert.equal(await env.run(pushImportedProducts, { importRunId: Number(run.id) }), 2100);

    const versions = new Map<number, number>((await stack.db('products').whereIn('id', ids).select('id', 'version')).map((r) => [r.id, Number(r.version)]));
    assert.ok(ids.slice(0, 2000).every((id) => versions.get(id) === 1), 'the first 2,000, done by the dead attempt, are not marked again');
    assert.ok(ids.slice(2000).every((id) => versions.get(id) === 2), 'the rest is marked');
    assert.deepEqual(beats[beats.length - 1], { done: 2100 });
  });
});
