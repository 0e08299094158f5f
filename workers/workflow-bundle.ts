import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../stack/config';

/** Folders whose code ends up in the workflow bundle. */
const SOURCES = ['workflows', 'domain'].map((d) => path.join(__dirname, '..', d));

/**
 * The prebuilt bundle the standalone worker runs. Refuses a missing bundle, and one older than the
 * workflow sources next to it (when they are there): a worker must not run workflow code other than
 * what is checked out, or replays of new histories would fail.
 */
export function prebuiltWorkflowBundle(bundlePath: string): { codePath: string } {
  if (!fs.existsSync(bundlePath)) {
    throw new ConfigError(`No workflow bundle at ${bundlePath}: run \`npm run build:workflows\` first (WORKFLOW_BUNDLE sets the path).`);
  }
  const built = fs.statSync(bundlePath).mtimeMs;
  const newer = SOURCES.flatMap(listTs).find((f) => fs.statSync(f).mtimeMs > built);
  if (newer) {
    throw new ConfigError(`The workflow bundle ${bundlePath} is older than ${newer}: run \`npm run build:workflows\` again.`);
  }
  return { codePath: bundlePath };
}

function listTs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listTs(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}
