import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { WooClient } from '../../activities/woocommerce/client';
import { startWooSandbox } from '../../sandbox/woocommerce';
import type { WooSandbox, WooSandboxOptions } from '../../sandbox/woocommerce';

/**
 * The shop a contract test talks to. In CI it is the sandbox; with WOO_CONTRACT_URL,
 * WOO_CONTRACT_KEY and WOO_CONTRACT_SECRET set it is a real store (the kit in
 * ../shared/woocommerce-real), which is where the sandbox's behaviour is decided. The same
 * cases run against both; a case that needs a sandbox-only switch (fault injection) asks
 * `store.sandbox` and skips itself on a real store.
 */
export interface ContractStore {
  kind: 'sandbox' | 'real';
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** Present only for the sandbox. */
  sandbox?: WooSandbox;
  client(opts?: { timeoutMs?: number }): WooClient;
  /**
   * Whether webhook deliveries are done when the triggering request returns: always for the sandbox
   * (after settleWebhooks), for a real store only with the kit's SYNC_WEBHOOKS switch
   * (WOO_CONTRACT_RIG_DIR names the kit's RIG_DIR; the switch is turned on for the test).
   */
  canSettleWebhooks: boolean;
  /** Waits until deliveries triggered so far are done (a no-op on a real store with SYNC_WEBHOOKS). */
  settleWebhooks(): Promise<void>;
  /** Back to an empty store: the sandbox's reset, or WOO_CONTRACT_RESET (e.g. the kit's reset.sh) for a real one. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const run = promisify(execFile);

export function realStoreConfigured(): boolean {
  return !!process.env.WOO_CONTRACT_URL;
}

export async function openContractStore(sandboxOptions: WooSandboxOptions = {}): Promise<ContractStore> {
  const url = process.env.WOO_CONTRACT_URL;
  if (url) {
    const consumerKey = process.env.WOO_CONTRACT_KEY ?? '';
    const consumerSecret = process.env.WOO_CONTRACT_SECRET ?? '';
    if (!consumerKey || !consumerSecret) throw new Error('WOO_CONTRACT_URL needs WOO_CONTRACT_KEY and WOO_CONTRACT_SECRET');
    const rigDir = process.env.WOO_CONTRACT_RIG_DIR;
    if (rigDir) fs.writeFileSync(path.join(rigDir, 'SYNC_WEBHOOKS'), '');
    return {
      kind: 'real', url, consumerKey, consumerSecret,
      canSettleWebhooks: !!rigDir && fs.existsSync(path.join(rigDir, 'SYNC_WEBHOOKS')),
      settleWebhooks: async () => undefined,
      client: (opts = {}) => new WooClient({ baseUrl: url, consumerKey, consumerSecret, timeoutMs: opts.timeoutMs ?? 60_000 }),
      reset: async () => {
        const cmd = process.env.WOO_CONTRACT_RESET;
        if (cmd) await run('bash', ['-c', cmd], { timeout: 120_000 });
      },
      close: async () => undefined,
    };
  }
  const sandbox = await startWooSandbox(sandboxOptions);
  return {
    kind: 'sandbox', url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, sandbox,
    canSettleWebhooks: true,
    settleWebhooks: () => sandbox.flushWebhooks(),
    client: (opts = {}) => new WooClient({
      baseUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, timeoutMs: opts.timeoutMs,
    }),
    reset: async () => sandbox.reset(),
    close: () => sandbox.close(),
  };
}
