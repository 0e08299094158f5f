import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

let built: Promise<string> | undefined;

/**
 * The prebuilt workflow bundle a standalone worker (`workers/main.ts`) needs, built once per test
 * run into a temporary file, as `npm run build:workflows` does. Pass it as WORKFLOW_BUNDLE.
 */
export function workflowBundleForTests(): Promise<string> {
  built ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-bundle-'));
    const file = path.join(dir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet });
    fs.writeFileSync(file, code);
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return file;
  })();
  return built;
}

const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
