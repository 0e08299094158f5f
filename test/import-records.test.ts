import assert from 'node:assert/strict';
import { waitFor } from './helpers/shop';
import { expectedDeductions, mirroredCatalog, setStartDate } from './helpers/orders';
import { possync } from './helpers/processes';
import { currentDetails } from './helpers/workflow-details';
import {
  orderImportDryRunWorkflowId, orderImportWorkflowId, orderReimportWorkflowId, restoreBackupWorkflowId, type ImportProgress,
} from '../workflows/contracts/order-import';
import { useShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/**
 * Issue 8 points 7 and 10, through the real CLI: a dry run under its own id, `import status`
 * showing both, `import orders` by outcome with reasons, `possync backups`, and restore and
 * re-import workflows with readable ids and the connection search attribute.
 */
describe('import records: dry run id, orders by outcome, backups, restore and re-import ids (issue 8 points 7, 10)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);
  let expected: ReturnType<typeof expectedDeductions>;
  let backupId: string;
  const start = new Date(Date.now() - 60_000);

  const cli = async (...args: string[]) => {
    const r = await possync(stack, args);
    assert.equal(r.code, 0, `possync ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const json = async <T>(...args: string[]): Promise<T> => JSON.parse(await cli('--json', ...args)) as T;
  const details = (workflowId: string): Promise<string> => currentDetails(stack.client.workflow.getHandle(workflowId));

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    await mirroredCatalog(stack, shop, `REC${Date.now() % 100000}`);
    await setStartDate(stack, shop.connectionId, start);
    shop.sandbox.seedOrders({ count: 80, createdBefore: new Date(start.getTime() - 3_600_000), seed: 11, deletedProductRate: 0.1 });
    expected = expectedDeductions(shop.sandbox.state.orders(), { before: start });
    assert.ok(expected.failing.length > 0, 'the seeded history has failing orders');
  });

  it('a dry run runs under its own id, the real import beside it keeps its progress and backup, and status shows both', async () => {
    assert.match(await cli('import', 'start', shop.connectionId, '--dry-run'), new RegExp(`order-import-dry-run/${shop.connectionId}`));
    assert.match(await cli('import', 'start', shop.connectionId), new RegExp(`order-import/${shop.connectionId}`));
    const dry = await stack.client.workflow.getHandle(orderImportDryRunWorkflowId(shop.connectionId)).result() as ImportProgress;
    const real = await stack.client.workflow.getHandle(orderImportWorkflowId(shop.connectionId)).result() as ImportProgress;
    assert.equal(dry.dryRun, true);
    assert.equal(real.dryRun, false);
    assert.ok(real.backupId, 'the real import took a backup');
    backupId = real.backupId;
    const status = await json<{ import: { progress: ImportProgress }; dryRun: { progress: ImportProgress } }>('import', 'status', shop.connectionId);
    assert.equal(status.import.progress.backupId, backupId);
    assert.equal(status.dryRun.progress.dryRun, true);
    assert.equal(status.dryRun.progress.failed, expected.failing.length);
    const text = await cli('import', 'status', shop.connectionId);
    assert.match(text, /^done: /m);
    assert.match(text, /^DRY RUN done: /m);
    assert.match(text, new RegExp(`backup ${backupId}`));
    assert.match(await details(orderImportDryRunWorkflowId(shop.connectionId)), /^Dry run done: /);
  });

  it('import orders lists the orders by outcome with their reasons, and says how to re-import them', async () => {
    const failed = await json<{ orders: { order_id: number; outcome: string; reason: string }[]; counts: Record<string, number> }>(
      'import', 'orders', shop.connectionId, '--failed', '--limit', '1000');
    assert.deepEqual(failed.orders.map((o) => o.order_id).sort((a, b) => a - b), [...expected.failing].sort((a, b) => a - b));
    assert.ok(failed.orders.every((o) => o.outcome === 'failed' && o.reason.length > 0), 'every failed order says why');
    assert.equal(failed.counts.failed, expected.failing.length);
    const imported = await json<{ orders: { outcome: string }[] }>('import', 'orders', shop.connectionId, '--imported', '--limit', '1000');
    assert.ok(imported.orders.length >= expected.counted.length);
    assert.ok(imported.orders.every((o) => o.outcome === 'imported'));
    const text = await cli('import', 'orders', shop.connectionId, '--failed');
    assert.match(text, new RegExp(`order ${expected.failing[0]}\\s+failed`));
    assert.match(text, new RegExp(`re-import with: possync import reimport ${shop.connectionId} \\d+`));
    const both = await possync(stack, ['import', 'orders', shop.connectionId, '--failed', '--skipped']);
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /at most one of --failed, --skipped, --imported/);
  });

  it('the orders read refuses a bad outcome naming the field, and an unknown connection', async () => {
    const bad = await shop.api.get(`/api/connections/${shop.connectionId}/orders`, { params: { outcome: 'lost' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.data.problems[0].field, 'outcome');
    const limit = await shop.api.get(`/api/connections/${shop.connectionId}/orders`, { params: { limit: '0' } });
    assert.equal(limit.status, 400);
    assert.equal(limit.data.problems[0].field, 'limit');
    assert.equal((await shop.api.get('/api/connections/no-such-connection/orders')).status, 404);
    assert.equal((await shop.api.get('/api/backups/no-such-backup')).status, 404);
  });

  it('possync backups lists each backup with its size and the import that made it', async () => {
    const list = await json<{ id: string; connection_id: string; products: number; inventory_rows: number; bytes: number; import: { workflow_id: string; dry_run: boolean } | null }[]>('backups');
    const b = list.find((x) => x.id === backupId);
    assert.ok(b, `backup ${backupId} is listed`);
    assert.equal(b.connection_id, shop.connectionId);
    const products = Number((await stack.db('backup_products').where({ backup_id: backupId }).count({ n: '*' }))[0]!.n);
    assert.equal(b.products, products);
    assert.ok(b.products > 0 && b.inventory_rows > 0 && b.bytes > 0);
    assert.equal(b.import?.workflow_id, orderImportWorkflowId(shop.connectionId));
    assert.equal(b.import?.dry_run, false);
    const text = await cli('backups');
    assert.match(text, new RegExp(`${backupId} .* ${b.products} products, ${b.inventory_rows} stock levels, `));
    assert.match(text, new RegExp(`made by order-import/${shop.connectionId} \\(import run \\d+, done\\)`));
  });

  it('restore and re-import run under readable ids with the connection search attribute and say where they are', async () => {
    assert.match(await cli('import', 'restore', backupId), /restored \d+ stock levels/);
    const restoreId = restoreBackupWorkflowId(backupId, shop.connectionId);
    assert.equal(restoreId, `order-restore/${shop.connectionId}/${backupId}`);
    const restore = await stack.client.workflow.getHandle(restoreId).describe();
    assert.deepEqual(restore.searchAttributes.PossyncConnection, [shop.connectionId]);
    assert.match(await details(restoreId), /^Restored \d+ stock levels/);

    const orderIds = [expected.counted[0]!, expected.counted[1]!];
    assert.match(await cli('import', 'reimport', shop.connectionId, ...orderIds.map(String)), /2 orders: /);
    const reimportId = orderReimportWorkflowId(shop.connectionId, orderIds);
    assert.equal(reimportId, `order-reimport/${shop.connectionId}/${[...orderIds].sort((a, b) => a - b).join(',')}`);
    const reimport = await stack.client.workflow.getHandle(reimportId).describe();
    assert.equal(reimport.status.name, 'COMPLETED');
    assert.deepEqual(reimport.searchAttributes.PossyncConnection, [shop.connectionId]);
    assert.match(await details(reimportId), /^Re-imported 2 orders: /);
    const many = orderReimportWorkflowId(shop.connectionId, expected.counted.slice(0, 8));
    assert.match(many, new RegExp(`^order-reimport/${shop.connectionId}/\\d+-\\d+-8-orders-[0-9a-f]{8}$`));
    await waitFor('nothing left running for the connection', async () => {
      for await (const wf of stack.client.workflow.list({ query: `PossyncConnection = "${shop.connectionId}" AND ExecutionStatus = "Running"` })) {
        if (wf.type !== 'batchPush' && wf.type !== 'productPush') return undefined;
      }
      return true;
    });
  });
});
