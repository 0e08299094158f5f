import { DefaultLogger, Runtime } from '@temporalio/worker';
import { stopTestStack } from '../helpers/test-stack';
import { abandonWaits } from '../helpers/wait';

// Workflow failures that tests provoke on purpose would otherwise fill the output.
Runtime.install({ logger: new DefaultLogger('ERROR') });

/** The shared stack is started lazily by the tests that need it, and always stopped here. */
export const mochaHooks = {
  afterEach() {
    abandonWaits('the test ended');
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopTestStack();
  },
};
