import { fork } from 'node:child_process';
import path from 'node:path';
import type { TillsMessage, TillsPlan } from './tills-process';

export type { TillsPlan };

/**
 * Runs the tills in a child process, like real tills: their HTTP client does not share the CPU
 * of the process that serves the API, runs the worker and simulates the shop. Reports each
 * committed sale to `onCommit`.
 */
export function runTills(plan: TillsPlan, onCommit: (c: { sku: string; level: number; at: number }) => void): Promise<{ failed: number; durationMs: number }> {
  const tills = fork(path.join(__dirname, 'tills-process.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'] });
  return new Promise((resolve, reject) => {
    tills.on('message', (m: TillsMessage) => {
      if (m.type === 'commits') m.commits.forEach(onCommit);
      else resolve(m);
    });
    tills.on('exit', (code) => reject(new Error(`the tills process exited with ${code} before finishing`)));
    tills.send(plan);
  });
}
