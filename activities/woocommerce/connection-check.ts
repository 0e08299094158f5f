import type { WooClient } from './client';
import { WooApiError } from './errors';
import type { ConnectionCheckReport } from '../../workflows/contracts/connections';

const KEY_PAGE = 'WooCommerce > Settings > Advanced > REST API';

/**
 * Issue 8 point 3 / issue 9: is the store reachable, does it accept the key, may the key read and
 * write? One read (a product list of one) and one write that changes nothing (an empty products
 * batch: WooCommerce refuses a read-only key on the HTTP method before it reads the body). The
 * answers of a real WooCommerce 8.9.1 are in test/fixtures/woocommerce-real/connection-check.json.
 */
export async function checkWooStore(client: WooClient, connectionId: string): Promise<ConnectionCheckReport> {
  const report: ConnectionCheckReport = {
    connectionId, ok: false, steps: { reachable: 'not checked', credentials: 'not checked', read: 'not checked', write: 'not checked' },
  };
  const store = client.apiBase;
  try {
    await client.listProducts({ per_page: 1 });
    Object.assign(report.steps, { reachable: 'ok', credentials: 'ok', read: 'ok' });
  } catch (err) {
    return { ...report, ...readFailure(err, store, report.steps) };
  }
  try {
    await client.probeWritePermission();
    report.steps.write = 'ok';
  } catch (err) {
    report.steps.write = 'failed';
    return { ...report, ...writeFailure(err, store) };
  }
  return { ...report, ok: true };
}

type Failure = Pick<ConnectionCheckReport, 'problem' | 'detail'>;

const detailOf = (err: unknown): string =>
  err instanceof WooApiError ? `${err.method} ${err.path}: ${err.status || 'no answer'} ${err.code} ${err.wooMessage}` : String(err);

function readFailure(err: unknown, store: string, steps: ConnectionCheckReport['steps']): Failure {
  const detail = detailOf(err);
  if (!(err instanceof WooApiError)) return { problem: `the check failed: ${detail}`, detail };
  switch (err.kind) {
    case 'network':
    case 'timeout':
      steps.reachable = 'failed';
      return { problem: `cannot reach ${store} (${err.wooMessage}): check the URL and that the store is up`, detail };
    case 'auth':
      steps.reachable = 'ok';
      if (/read permissions/i.test(err.wooMessage)) {
        steps.credentials = 'ok';
        steps.read = 'failed';
        return { problem: `the key may not read (write-only): give it Read/Write permission in ${KEY_PAGE}`, detail };
      }
      steps.credentials = 'failed';
      if (/consumer key is invalid/i.test(err.wooMessage)) return { problem: `the store does not know this consumer key: create a Read/Write key in ${KEY_PAGE} and configure it`, detail };
      if (/signature/i.test(err.wooMessage)) return { problem: 'the store refuses the consumer secret (the signature does not match): configure the secret that belongs to this key', detail };
      if (err.status === 403) {
        steps.credentials = 'ok';
        steps.read = 'failed';
        return { problem: `the key's user may not read products (${err.code}): use a key of a shop manager or administrator`, detail };
      }
      return { problem: `the store refuses the credentials: ${err.wooMessage}`, detail };
    case 'redirect':
      steps.reachable = 'ok';
      return { problem: `${store} redirects (${err.wooMessage}): configure the final URL (https, www or not)`, detail };
    case 'not_found':
    case 'bad_response':
      steps.reachable = 'ok';
      return { problem: `${store} is not a WooCommerce REST API (${err.status} ${err.code}): check the URL, that WooCommerce is active and that pretty permalinks are on`, detail };
    default:
      steps.reachable = 'ok';
      return { problem: `the store answers ${err.status} ${err.code}: ${err.wooMessage}`, detail };
  }
}

function writeFailure(err: unknown, store: string): Failure {
  const detail = detailOf(err);
  if (err instanceof WooApiError && err.kind === 'auth') {
    if (/write permissions/i.test(err.wooMessage)) {
      return { problem: `the key is read-only: possync writes products and stock, give the key Read/Write permission in ${KEY_PAGE}`, detail };
    }
    return { problem: `the key's user may not edit products (${err.status} ${err.code}): use a key of a shop manager or administrator`, detail };
  }
  if (err instanceof WooApiError && (err.kind === 'network' || err.kind === 'timeout')) {
    return { problem: `${store} stopped answering during the check (${err.wooMessage})`, detail };
  }
  return { problem: `the write check failed: ${detail}`, detail };
}
