import axios, { type AxiosInstance } from 'axios';
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { connectClient } from '../../stack/temporal-connection';

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
  /** POSSYNC_PUBLIC_URL: where shops and SmartBill reach the POS API. */
  publicUrl?: string;
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
  const api = axios.create({ baseURL: opts.api, timeout: 15_000, validateStatus: () => true });
  api.interceptors.response.use(undefined, (err) => {
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
