// One eCom sandbox per test file (empty shop, no faults, fresh windows per test) and a raw HTTP
// caller, so the sandbox tests see exactly what a client would.
import { type EcomSandbox, type EcomSandboxOptions, startEcomSandbox } from '../../../sandbox/ecom';

export function useEcomSandbox(opts: EcomSandboxOptions = {}): () => EcomSandbox {
  let sandbox: EcomSandbox | undefined;
  before(async () => {
    sandbox = await startEcomSandbox(opts);
  });
  beforeEach(() => {
    sandbox!.reset();
    sandbox!.resetFaults();
  });
  after(async () => {
    await sandbox?.close();
  });
  return () => {
    if (!sandbox) throw new Error('sandbox not started');
    return sandbox;
  };
}

export interface EcomCall {
  method?: string;
  lang?: string;
  /** Resource path without language and .json, e.g. '/products/12'. */
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  key?: string;
  secret?: string;
  noAuth?: boolean;
}

export interface EcomReply {
  status: number;
  headers: Headers;
  body: any;
}

export async function ecom(sandbox: EcomSandbox, call: EcomCall): Promise<EcomReply> {
  const url = new URL(`${sandbox.url}/${call.lang ?? 'nl'}${call.path}.json`);
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = {};
  if (!call.noAuth) headers.Authorization = `Basic ${Buffer.from(`${call.key ?? sandbox.apiKey}:${call.secret ?? sandbox.apiSecret}`).toString('base64')}`;
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method: call.method ?? 'GET', headers, body: call.body === undefined ? undefined : JSON.stringify(call.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Creates a product and returns it with its default variant. */
export async function ecomProduct(sandbox: EcomSandbox, product: Record<string, unknown>): Promise<{ product: any; variant: any }> {
  const created = await ecom(sandbox, { method: 'POST', path: '/products', body: { product } });
  if (created.status !== 201) throw new Error(`create product: ${created.status} ${JSON.stringify(created.body)}`);
  const variants = await ecom(sandbox, { path: '/variants', query: { product: created.body.product.id } });
  return { product: created.body.product, variant: variants.body.variants[0] };
}
