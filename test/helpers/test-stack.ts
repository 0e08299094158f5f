import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../stack/config';
import { createLogger } from '../../stack/logger';
import { startStack, type Stack } from '../../stack/start';
import { freePort } from '../../stack/temporal-dev-server';
import { recordHistories } from './record-histories';

/**
 * The product's timing settings the tests run with (short, so retries and waits take seconds):
 * the test stack and every worker process the tests start use the same.
 */
export const TEST_TIMING_ENV = {
  PUSH_QUIET_WINDOW_MS: '300',
  PUSH_IDLE_TIMEOUT_MS: '3000',
  CREATE_LAND_WAIT_MS: '12000',
} as const;

let stackPromise: Promise<Stack> | undefined;
let tempDir: string | undefined;

/**
 * The real stack for tests, started once on first use: an embedded PostgreSQL in a temporary
 * folder, a Temporal dev server on a free port, the worker, the POS API. Set TEST_DATABASE_URL
 * to use an existing (empty) database instead of the embedded one.
 */
export function testStack(): Promise<Stack> {
  stackPromise ??= (async () => {
    // Postgres runs as the postgres user when we are root: the folder must be reachable by it.
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-test-'));
    fs.chmodSync(tempDir, 0o755);
    const config = loadConfig({
      POSSYNC_DATA_DIR: tempDir,
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      EMBEDDED_PG_PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_CLI: process.env.TEMPORAL_CLI,
      HTTP_PORT: '0',
      SANDBOX_PORT: '0',
      ...TEST_TIMING_ENV,
      LOG_LEVEL: 'warn',
      PATH: process.env.PATH,
    });
    return startStack({ config, log: createLogger('warn'), headless: true });
  })();
  return stackPromise;
}

export async function stopTestStack(): Promise<void> {
  if (!stackPromise) return;
  const stack = await stackPromise.catch(() => undefined);
  try {
    if (stack && process.env.RECORD_HISTORIES === '1') await recordHistories(stack.client, stack.temporalAddress);
  } finally {
    await stack?.stop();
  }
  stackPromise = undefined;
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
}
