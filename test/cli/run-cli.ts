import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Stack } from '../../stack/start';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', '..', 'scripts', 'possync.js');

/** Runs `possync <args>` as an operator would, configured only with the stack's ports. */
export function runCli(stack: Stack, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const http = new URL(stack.httpUrl);
  const env = {
    PATH: process.env.PATH, HOME: process.env.HOME, HTTP_HOST: http.hostname, HTTP_PORT: http.port, TEMPORAL_PORT: stack.temporalAddress.split(':').pop(),
    // The CLI finds the stack's admin token in its data folder, as on a merchant's machine.
    POSSYNC_DATA_DIR: stack.config.dataDir,
  };
  return run(process.execPath, [CLI, ...args], { env, timeout: 120_000 });
}
