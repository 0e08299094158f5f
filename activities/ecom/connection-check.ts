import type { ConnectionCheckReport } from '../../workflows/contracts/connections';
import { EcomClient } from './client';
import { EcomApiError } from './errors';
import type { EcomRegistry } from './registry';

const KEY_PAGE = 'the eCom back office: Settings > Developers (API keys)';

/**
 * Issue 10 / issue 9: is the shop reachable, does it accept the key and secret, may they read and
 * write products? One read (a product list of one) and one write that changes nothing: a variant
 * without a title or product, which the API refuses with 400 "Invalid variant title" after it has
 * authorised the key for writing, and with 401/403 when the key may not write. Two requests of the
 * budget; nothing is created, so nothing is left to clean up if the check is interrupted.
 */
export async function checkEcomShop(client: EcomClient, connectionId: string, shop: string): Promise<ConnectionCheckReport> {
  const report: ConnectionCheckReport = {
    connectionId, ok: false, steps: { reachable: 'not checked', credentials: 'not checked', read: 'not checked', write: 'not checked' },
  };
  try {
    await client.products.list({ limit: 1 });
    Object.assign(report.steps, { reachable: 'ok', credentials: 'ok', read: 'ok' });
  } catch (err) {
    return { ...report, ...readFailure(err, shop, report.steps) };
  }
  try {
    await client.call('POST', 'variants', { body: { variant: { title: '' } }, priority: 'sync' });
    // Accepted: the shop created a variant out of nothing. Not expected of the API; said, not hidden.
    report.steps.write = 'failed';
    return { ...report, problem: `${shop} accepted a variant without a title or product: this does not answer like the Lightspeed eCom API` };
  } catch (err) {
    if (err instanceof EcomApiError && err.kind === 'validation') {
      report.steps.write = 'ok';
      return { ...report, ok: true };
    }
    report.steps.write = 'failed';
    return { ...report, ...writeFailure(err, shop) };
  }
}

/** The check of a configured eCom connection with a client of its own (closed after), sharing the key's budget. */
export async function checkEcomConnection(registry: EcomRegistry | undefined, connectionId: string): Promise<ConnectionCheckReport> {
  const c = registry?.get(connectionId);
  if (!c) {
    return {
      connectionId, ok: false, steps: { reachable: 'not checked', credentials: 'not checked', read: 'not checked', write: 'not checked' },
      problem: `no credentials are configured for ${connectionId} in this process (it is not in the connections file)`,
    };
  }
  let client: EcomClient;
  try {
    client = new EcomClient({ baseUrl: c.baseUrl, apiKey: c.apiKey, apiSecret: c.apiSecret, language: c.language, budget: c.budget, timeoutMs: 15_000 });
  } catch (err) {
    return {
      connectionId, ok: false, steps: { reachable: 'not checked', credentials: 'failed', read: 'not checked', write: 'not checked' },
      problem: `the configuration is refused before any request: ${err instanceof EcomApiError ? err.apiMessage : String(err)}`,
    };
  }
  try {
    return await checkEcomShop(client, connectionId, `${c.baseUrl}/${c.language}`);
  } finally {
    client.close();
  }
}

type Failure = Pick<ConnectionCheckReport, 'problem' | 'detail'>;

const detailOf = (err: unknown): string =>
  err instanceof EcomApiError ? `${err.method} ${err.path}: ${err.status || 'no answer'} ${err.kind} ${err.apiMessage}` : String(err);

function readFailure(err: unknown, shop: string, steps: ConnectionCheckReport['steps']): Failure {
  const detail = detailOf(err);
  if (!(err instanceof EcomApiError)) return { problem: `the check failed: ${detail}`, detail };
  switch (err.kind) {
    case 'network':
    case 'timeout':
      steps.reachable = 'failed';
      return { problem: `cannot reach ${shop} (${err.apiMessage}): check the cluster URL (e.g. https://api.webshopapp.com) and the network`, detail };
    case 'auth':
      steps.reachable = 'ok';
      steps.credentials = 'failed';
      return { problem: `the shop refuses the API key and secret (${err.status}): configure a key and its secret from ${KEY_PAGE}`, detail };
    case 'not_found':
      steps.reachable = 'ok';
      return { problem: `${shop} answers 404 for the products of this language: check the cluster URL and that the language is active in the shop`, detail };
    case 'invalid_request':
      return { problem: `the configuration is refused before any request: ${err.apiMessage}`, detail };
    case 'rate_limited':
      steps.reachable = 'ok';
      steps.credentials = 'ok';
      return { problem: `the shop's request budget is used up (429); the check passes once a window resets`, detail };
    default:
      steps.reachable = 'ok';
      return { problem: `the shop answers ${err.status} ${err.kind}: ${err.apiMessage}`, detail };
  }
}

function writeFailure(err: unknown, shop: string): Failure {
  const detail = detailOf(err);
  if (err instanceof EcomApiError && err.kind === 'auth') {
    return { problem: `the key may not write: possync writes products and stock, give the key write access to products in ${KEY_PAGE}`, detail };
  }
  if (err instanceof EcomApiError && (err.kind === 'network' || err.kind === 'timeout')) {
    return { problem: `${shop} stopped answering during the check (${err.apiMessage})`, detail };
  }
  return { problem: `the write check failed: ${detail}`, detail };
}
