import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../stack/config';

/**
 * `npm run build:workflows`: bundles the workflows once (webpack), for the standalone worker to load
 * as is (samples-typescript: production). A worker then starts in seconds and runs exactly the
 * code that was built and deployed.
 */
async function main(): Promise<void> {
  const out = loadConfig().workflowBundlePath;
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Written beside and renamed, so a worker starting meanwhile never reads half a bundle.
  fs.writeFileSync(`${out}.tmp`, code);
  fs.renameSync(`${out}.tmp`, out);
  console.log(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
