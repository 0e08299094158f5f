import axios, { type AxiosInstance } from 'axios';
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { connectClient } from '../../stack/temporal-connection';
import type { Config } from '../../stack/config';
import { localAdminTokenPath, readLocalAdminToken } from '../../server/auth/local-admin-token';

export interface GlobalOptions {
  api: string;
  temporal: string;
  namespace: string;
  taskQueue: string;
  json: boolean;
  /** From the configuration (TEMPORAL_API_KEY, TEMPORAL_TLS), never from the command line. */
  temporalApiKey?: string;
  temporalTls?: boolean;
  /** WEBHOOK_CHECK_SECONDS */
  webhookCheckSeconds?: number;
  /** The bearer token sent to the POS API (cliApiToken), never from the command line. */
  apiToken?: string;
  /** Where the token came from, for the message when the API refuses it. */
  apiTokenSource?: string;
  /** POSSYNC_PUBLIC_URL: where shops and SmartBill reach the POS API. */
  publicUrl?: string;
}

/** POSSYNC_TOKEN first, then the admin token `npm start` keeps in the data folder. */
export function cliApiToken(config: Config): { token?: string; source: string } {
  if (config.security.cliToken) return { token: config.security.cliToken, source: 'POSSYNC_TOKEN' };
  const file = localAdminTokenPath(config.dataDir);
  return { token: readLocalAdminToken(config.dataDir), source: file };
}

export interface CliContext {
  opts: GlobalOptions;
  api: AxiosInstance;
  temporal(): Promise<Client>;
  print(text: string, json: unknown): void;
}

export function cliContext(cmd: Command): CliContext {
  const opts = cmd.optsWithGlobals() as GlobalOptions;
  let client: Promise<Client> | undefined;
  const api = axios.create({
    baseURL: opts.api, timeout: 15_000, validateStatus: () => true,
    headers: opts.apiToken ? { authorization: `Bearer ${opts.apiToken}` } : {},
  });
  api.interceptors.response.use((res) => {
    if (res.status === 401) {
      const from = opts.apiToken ? `the token from ${opts.apiTokenSource}` : `no token (none in POSSYNC_TOKEN or ${opts.apiTokenSource})`;
      throw new Error(`the POS API at ${opts.api} refused ${from}: ${res.data?.message ?? res.status}. Set POSSYNC_TOKEN, or run where \`npm start\` keeps its data folder (POSSYNC_DATA_DIR)`);
    }
    if (res.status === 403) throw new Error(`the POS API refused: ${res.data?.message ?? 'forbidden'} (set POSSYNC_TOKEN to an admin token)`);
    return res;
  }, (err) => {
    throw new Error(`cannot reach the POS API at ${opts.api} (${err.code ?? err.message}); is \`npm start\` running? (--api sets the URL)`);
  });
  return {
    opts,
    api,
    temporal: () => (client ??= connectClient({ address: opts.temporal, namespace: opts.namespace, apiKey: opts.temporalApiKey, tls: opts.temporalTls }).catch((err) => {
      throw new Error(`cannot reach Temporal at ${opts.temporal}: ${err.message} (--temporal sets the address)`);
    })),
    print: (text, json) => console.log(opts.json ? JSON.stringify(json, null, 2) : text),
  };
}

/** Finds a product by SKU or id through the POS API. */
export async function findProduct(ctx: CliContext, skuOrId: string): Promise<{ id: number; sku: string; name: string }> {
  const bySku = await ctx.api.get('/api/products', { params: { sku: skuOrId } });
  if (bySku.status !== 200) throw new Error(`the POS API answered ${bySku.status}: ${JSON.stringify(bySku.data)}`);
  if (bySku.data.products.length > 0) return bySku.data.products[0];
  if (/^\d+$/.test(skuOrId)) {
    const byId = await ctx.api.get(`/api/products/${skuOrId}`);
    if (byId.status === 200) return byId.data;
  }
  throw new Error(`no product has SKU or id "${skuOrId}"`);
}
