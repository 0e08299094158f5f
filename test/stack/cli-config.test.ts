import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freshShop, simpleProduct, uniqueSku, waitFor } from '../helpers/shop';
import { productPushWorkflowId } from '../../workflows/contracts/product-push';
import type { Stack } from '../../stack/start';
import { useTestStack, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', '..', 'scripts', 'possync.js');

/** The CLI's environment: only the stack's settings, nothing inherited that could point it elsewhere. */
function stackEnv(stack: Stack): NodeJS.ProcessEnv {
  const http = new URL(stack.httpUrl);
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HTTP_HOST: http.hostname,
    HTTP_PORT: http.port,
    TEMPORAL_PORT: stack.temporalAddress.split(':').pop(),
    // Where npm start keeps the admin token the CLI sends.
    POSSYNC_DATA_DIR: stack.config.dataDir,
  };
}

/** Issue 6.12: the CLI reads the same configuration as `npm start`. */
describe('CLI configuration (issue 6.12)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();

  it('with only HTTP_PORT and TEMPORAL_PORT of a stack on other ports, `possync push` acts on that stack', async () => {
    const shop = await freshShop(stack);
    try {
      const sku = uniqueSku('CLI');
      const created = await shop.api.post('/api/products', simpleProduct(sku));
      assert.equal(created.status, 201, JSON.stringify(created.data));
      const env = stackEnv(stack);
      assert.notEqual(env.HTTP_PORT, '3000');
      assert.notEqual(env.TEMPORAL_PORT, '7233');
      const { stdout } = await run(process.execPath, [CLI, 'push', sku, '--json'], { env, timeout: 120_000 });
      const out = JSON.parse(stdout) as { workflowId: string; productId: number };
      assert.equal(out.productId, created.data.id);
      assert.equal(out.workflowId, productPushWorkflowId(created.data.id));
      // The workflow was started on this stack's Temporal, not on one at the default port.
      await waitFor('the push workflow on this stack', async () => (await stack.client.workflow.getHandle(out.workflowId).describe()).status.name);
    } finally {
      await shop.sandbox.close();
    }
  });

  it('names the address it tried, from the configuration, when nothing answers there', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, HTTP_PORT: '1', TEMPORAL_PORT: '2' };
    const err = await run(process.execPath, [CLI, 'status', 'ANY'], { env, timeout: 120_000 }).then(() => undefined, (e: { stderr: string }) => e);
    assert.ok(err, 'the CLI failed');
    assert.match(err.stderr, /127\.0\.0\.1:1\b/);
  });

  it('refuses an invalid configuration with the setting named, as npm start does', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, HTTP_PORT: 'eighty' };
    const err = await run(process.execPath, [CLI, 'failures'], { env, timeout: 120_000 }).then(() => undefined, (e: { stderr: string }) => e);
    assert.ok(err, 'the CLI failed');
    assert.match(err.stderr, /HTTP_PORT/);
  });
});
