import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import type { reimportOrders } from '../../workflows/order-maintenance';
import { causeChain, describeCliError } from '../../scripts/commands/workflow-failure';
import { runCli } from './run-cli';
import { TEST_HANG_GUARD_MS, useShop, useTestStack } from '../helpers/suite-setup';

/** Issue 8 point 6: a failed workflow reaches the CLI with its cause chain and what to do. */
describe('CLI: the cause of a failed workflow (issue 8.6)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  it('a re-import of an order the shop does not have names the 404 under the workflow and activity failures', async () => {
    const err = await stack.client.workflow.execute<typeof reimportOrders>('reimportOrders', {
      workflowId: `test-reimport-missing/${Date.now()}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, orderIds: [999999] }],
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError, `the workflow failed: ${String(err)}`);
    const chain = causeChain(err);
    assert.deepEqual(chain.map((l) => l.kind), ['WorkflowFailedError', 'ActivityFailure', 'ApplicationFailure']);
    assert.equal(chain[2]!.type, 'WooApiError.not_found');
    const text = describeCliError(err);
    assert.match(text, /ActivityFailure \(activity reimportOrders\)/);
    assert.match(text, /ApplicationFailure \(type WooApiError\.not_found\): .*HTTP 404/);
    assert.match(text, /what to do: the shop has no such item/);
  });

  it('`possync import reimport <connection> 999999` prints that chain, not "Workflow execution failed" alone', async () => {
    const err = await runCli(stack, 'import', 'reimport', shop.connectionId, '999999')
      .then(() => undefined, (e: { stderr: string; code: number }) => e);
    assert.ok(err, 'the command failed');
    assert.equal(err.code, 1);
    assert.match(err.stderr, /WooApiError\.not_found/);
    assert.match(err.stderr, /HTTP 404/);
    assert.match(err.stderr, /what to do: /);
  });

  it('an error that is not a workflow failure stays one line', () => {
    assert.equal(describeCliError(new Error('no connection "x"')), 'possync: no connection "x"');
  });
});
