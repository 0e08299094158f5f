import assert from 'node:assert/strict';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { freshShop, waitFor, type TestShop } from './helpers/shop';
import { mirroredCatalog, setStartDate } from './helpers/orders';
import { currentDetails } from './helpers/workflow-details';
import { emptyListFault } from '../sandbox/woocommerce';
import {
  importProgressQuery, orderImportWorkflowId, pauseImportSignal, pauseImportUpdate, pauseRefusal, resumeImportUpdate, restoreBackupWorkflowId,
} from '../workflows/contracts/order-import';
import type { orderImport } from '../workflows/order-import';
import { pauseOrResume, restoreFromBackup } from '../scripts/commands/import';
import type { OrderImportInput } from '../workflows/contracts/order-import';
import { useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/** Issue 7 points 6, 7, 8: the import ends only past the last history order, pauses for real, and a missing backup fails at once. */
describe('order import control (issue 7.6, 7.7, 7.8)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const start = new Date(Date.now() - 60_000);
  let n = 0;


  /** A shop with `count` history orders and a started import of them. */
  async function importing(count: number, input: Partial<OrderImportInput> = {}, perRequestMs = 150): Promise<{ shop: TestShop; handle: WorkflowHandle<typeof orderImport>; ids: number[] }> {
    n += 1;
    const shop = await freshShop(stack, { latency: { perRequestMs } });
    await mirroredCatalog(stack, shop, `CTL${n}${Date.now() % 10000}`);
    await setStartDate(stack, shop.connectionId, start);
    const { ids } = shop.sandbox.state.seedOrders({ count, createdBefore: new Date(start.getTime() - 3_600_000), seed: 20 + n });
    const handle = await stack.client.workflow.start<typeof orderImport>('orderImport', {
      workflowId: `${orderImportWorkflowId(shop.connectionId)}/ctl`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, contradictionRetries: 4, contradictionDelaySeconds: 1, ...input }],
    });
    return { shop, handle, ids };
  }
  const remoteOrderIds = async (shop: TestShop): Promise<number[]> =>
    (await stack.db('remote_orders').where({ connection_id: shop.connectionId }).pluck('remote_order_id')).map(Number).sort((a, b) => a - b);
  const pauseAt = async (handle: WorkflowHandle<typeof orderImport>, pages: number) => {
    await waitFor(`${pages} pages`, async () => (await handle.query(importProgressQuery)).pagesDone >= pages);
    return handle.executeUpdate(pauseImportUpdate);
  };

  it('an empty page mid-import is asked again, and the import ends only with every history order (issue 7.6)', async () => {
    const { shop, handle, ids } = await importing(700);
    try {
      const stopped = await pauseAt(handle, 2);
      // The store forgets its orders for a while, as one restarted before its data was back.
      shop.sandbox.setFaults({ rules: [emptyListFault('/orders', 2)] });
      await handle.executeUpdate(resumeImportUpdate);
      const done = await handle.result();
      assert.equal(done.phase, 'done');
      assert.ok(stopped.ordersDone < 700, 'it was stopped mid-import');
      assert.equal(done.ordersDone, 700);
      assert.ok((done.contradictions ?? 0) === 0 && done.pagesDone >= 7);
      assert.deepEqual(await remoteOrderIds(shop), [...ids].sort((a, b) => a - b), 'every history order imported');
      // Issue 7.9: the import's activities are scheduled with a heartbeat timeout of seconds.
      const scheduled = (await handle.fetchHistory()).events!.map((e) => e.activityTaskScheduledEventAttributes).filter((a) => !!a);
      for (const type of ['takeBackup', 'importOrderPage', 'pushImportedProducts']) {
        const a = scheduled.find((x) => x!.activityType?.name === type);
        assert.ok(a, `${type} was scheduled`);
        const seconds = Number(a!.heartbeatTimeout?.seconds ?? 0);
        assert.ok(seconds > 0 && seconds <= 30, `${type} heartbeat timeout ${seconds}s`);
      }
    } finally {
      await shop.sandbox.close();
    }
  });

  it('an empty page that persists fails the import loudly, with its reason, instead of ending "done" (issue 7.6)', async () => {
    const { shop, handle } = await importing(500, { contradictionRetries: 2 });
    try {
      await pauseAt(handle, 1);
      shop.sandbox.setFaults({ rules: [emptyListFault('/orders')] });
      await handle.executeUpdate(resumeImportUpdate);
      const err = await handle.result().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof WorkflowFailedError, `the import failed (got ${String(err)})`);
      assert.match(String(err.cause?.message), /stopped after \d+ of 500 orders: .*(no history orders|empty page|still there)/);
      const run = await stack.db('import_runs').where({ workflow_id: handle.workflowId }).first();
      assert.equal(run.state, 'failed');
      assert.ok((await remoteOrderIds(shop)).length < 500);
    } finally {
      await shop.sandbox.close();
    }
  });

  it('orders deleted or created during the import shift nothing: the cursor reads on after the last order imported (issue 7.6)', async () => {
    const { shop, handle, ids } = await importing(600);
    try {
      const stopped = await pauseAt(handle, 2);
      const imported = await remoteOrderIds(shop);
      // Delete 60 orders already imported: with page numbers, the next page would skip 60 others.
      const deleted = imported.slice(10, 70);
      for (const id of deleted) shop.sandbox.state.deleteOrder(id);
      await handle.executeUpdate(resumeImportUpdate);
      const done = await handle.result();
      assert.equal(done.phase, 'done');
      assert.ok(stopped.cursor, 'the pause reports its cursor');
      assert.deepEqual(await remoteOrderIds(shop), [...ids].sort((a, b) => a - b), 'every history order imported once, none skipped');
    } finally {
      await shop.sandbox.close();
    }
  });

  it('a pause survives continue-as-new, signal or update; the update returns where it stopped; resume goes on (issue 7.7)', async () => {
    // A slow store: the signal lands while a page runs, and the run ends (continue-as-new) right after that page.
    const { shop, handle } = await importing(1000, { pagesPerRun: 1 }, 400);
    try {
      await waitFor('a page', async () => (await handle.query(importProgressQuery)).pagesDone >= 1);
      // An old client's signal, sent while pages run and every page ends its run (continue-as-new).
      await handle.signal(pauseImportSignal);
      await waitFor('paused', async () => (await handle.query(importProgressQuery)).phase === 'paused');
      const first = await handle.query(importProgressQuery);
      await new Promise((r) => setTimeout(r, 2000));
      const later = await handle.query(importProgressQuery);
      assert.equal(later.phase, 'paused');
      assert.equal(later.pagesDone, first.pagesDone, 'no page while paused');

      const again = await pauseOrResume(handle, shop.connectionId, 'pause');
      assert.equal(again.outcome.already, true);
      assert.match(again.text, new RegExp(`already paused after page ${first.pagesDone} \\(${first.ordersDone} orders`));

      const resumed = await pauseOrResume(handle, shop.connectionId, 'resume');
      assert.equal(resumed.outcome.phase, 'running');
      assert.match(resumed.text, /running again/);
      await waitFor('pages after the resume', async () => (await handle.query(importProgressQuery)).pagesDone > first.pagesDone + 1);

      const paused = await pauseOrResume(handle, shop.connectionId, 'pause');
      assert.equal(paused.outcome.already, false);
      assert.equal(paused.outcome.phase, 'paused');
      const now = await handle.query(importProgressQuery);
      assert.equal(now.pagesDone, paused.outcome.pagesDone, 'the update returned once it had stopped, with that page');
      assert.match(paused.text, new RegExp(`has stopped after page ${paused.outcome.pagesDone} `));
      const row = await stack.db('import_runs').where({ workflow_id: handle.workflowId }).first();
      assert.equal(row.state, 'paused');
      // Issue 8 point 7: the Web UI's line of a paused import gives its page and its order counts.
      assert.match(await currentDetails(handle), new RegExp(
        `^Paused after page ${paused.outcome.pagesDone}: ${paused.outcome.ordersDone} of \\d+ orders: \\d+ imported, \\d+ skipped, \\d+ failed; resume to continue$`));
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await handle.query(importProgressQuery)).pagesDone, paused.outcome.pagesDone);

      await pauseOrResume(handle, shop.connectionId, 'resume');
      const done = await handle.result();
      assert.equal(done.ordersDone, 1000);
      const refused = await handle.executeUpdate(pauseImportUpdate).then(() => undefined, (e: unknown) => e);
      assert.ok(refused instanceof Error, 'a pause of an ended import is refused');
    } finally {
      await shop.sandbox.close();
    }
  });

  it('pause and resume are refused with a reason while pushing back or done (issue 7.7)', () => {
    assert.match(pauseRefusal('pause', 'pushing')!, /pushing the products back/);
    assert.match(pauseRefusal('resume', 'done')!, /done/);
    assert.equal(pauseRefusal('pause', 'running'), undefined);
    assert.equal(pauseRefusal('pause', 'backup'), undefined);
    assert.ok(WorkflowUpdateFailedError);
  });

  it('restoring a backup that does not exist fails at once, for good, and says so (issue 7.8)', async () => {
    const id = `nosuchbackup-${Date.now()}`;
    const err = await restoreFromBackup(stack.client, stack.config.temporal.taskQueue, id).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error);
    assert.match(err.message, new RegExp(`the restore of ${id} failed: backup ${id} does not exist`));
    const history = await stack.client.workflow.getHandle(restoreBackupWorkflowId(id)).fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    assert.deepEqual(attempts, [1], 'one attempt, no retries');
  });
});
