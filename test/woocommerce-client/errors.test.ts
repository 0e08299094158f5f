import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import {
  WooApiError,
  WooClient,
  isDuplicateSkuError,
  parseRetryAfter,
  stripAuthParams,
  toActivityFailure,
} from '../../activities/woocommerce';
import { StubServer, type StubAction, fixture, json } from './stub-server';

const CK = 'ck_0123456789abcdef0123456789abcdef01234567';
const CS = 'cs_fedcba9876543210fedcba9876543210fedcba98';

async function caught(p: Promise<unknown>): Promise<WooApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof WooApiError, `expected WooApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

function assertNoSecrets(text: string): void {
  assert.ok(!text.includes(CK), `consumer key leaked: ${text}`);
  assert.ok(!text.includes(CS), `consumer secret leaked: ${text}`);
  assert.ok(!/oauth_signature=[^[]/.test(text), `signature leaked: ${text}`);
}

describe('WooCommerce client error classification', () => {
  let stub: StubServer;
  let client: WooClient;
  const answer = (action: StubAction): void => {
    stub.handler = () => action;
  };

  beforeEach(async () => {
    stub = await StubServer.start();
    // OAuth over http puts the key and signature in the URL: the worst case for leaks.
    client = new WooClient({ baseUrl: stub.url, consumerKey: CK, consumerSecret: CS, timeoutMs: 2000 });
  });
  afterEach(async () => {
    client.close();
    await stub.close();
  });

  it('duplicate SKU (fixture 41) is final and names the product holding the SKU', async () => {
    answer(fixture('41'));
    const err = await caught(client.createProduct({ name: 'Dup', sku: 'SIMPLE-1795423102', regular_price: '1' }));
    assert.equal(err.status, 400);
    assert.equal(err.code, 'product_invalid_sku');
    assert.equal(err.kind, 'duplicate_sku');
    assert.equal(err.retryable, false);
    assert.equal(isDuplicateSkuError(err), 10);
    assert.equal((err.data as { unique_sku: string }).unique_sku, 'SIMPLE-1795423102-1');
    assert.equal(err.method, 'POST');
    assert.equal(err.path, '/products');
  });

  it('unknown ids: GET 404 (fixture 44) and PUT 400 (fixture 45) are final "not found"', async () => {
    answer(fixture('44'));
    const get = await caught(client.getProduct(999999));
    assert.deepEqual([get.status, get.code, get.kind, get.retryable], [404, 'woocommerce_rest_product_invalid_id', 'not_found', false]);
    answer(fixture('45'));
    const put = await caught(client.updateProduct(999999, { stock_quantity: 1 }));
    assert.deepEqual([put.status, put.code, put.kind, put.retryable], [400, 'woocommerce_rest_product_invalid_id', 'not_found', false]);
    assert.equal(isDuplicateSkuError(put), undefined);
  });

  it('invalid params (fixture 48) are final validation errors with WooCommerce details', async () => {
    answer(fixture('48'));
    const err = await caught(client.listProducts({ per_page: 100 }));
    assert.deepEqual([err.status, err.code, err.kind, err.retryable], [400, 'rest_invalid_param', 'validation', false]);
    assert.match((err.data as { params: { per_page: string } }).params.per_page, /between 1/);
    assert.match(err.message, /Invalid parameter\(s\): per_page/);
  });

  it('a batch the store refuses as too large (fixture 51) is final', async () => {
    answer(fixture('51'));
    const err = await caught(client.batchProducts({ update: [{ id: 1 }] }));
    assert.deepEqual([err.status, err.code, err.kind, err.retryable], [413, 'woocommerce_rest_request_entity_too_large', 'too_large', false]);
  });

  for (const n of ['53', '54', '55', '56', '73']) {
    it(`authentication failure (fixture ${n}) is final and leaks no credentials`, async () => {
      answer(fixture(n));
      const err = await caught(client.listProducts());
      assert.equal(err.status, 401);
      assert.equal(err.kind, 'auth');
      assert.equal(err.retryable, false);
      assertNoSecrets(err.message);
      assertNoSecrets(err.path);
    });
  }

  it('429 with Retry-After: 3 is retryable after 3000 ms', async () => {
    answer(json(429, { code: 'too_many_requests', message: 'Slow down', data: { status: 429 } }, { 'Retry-After': '3' }));
    const err = await caught(client.listProducts({ per_page: 10 }));
    assert.deepEqual([err.status, err.kind, err.retryable, err.retryAfterMs], [429, 'rate_limited', true, 3000]);
  });

  it('503 is retryable and honours Retry-After as an HTTP date', async () => {
    answer({ status: 503, headers: { 'Content-Type': 'text/html' }, body: '<h1>Briefly unavailable for scheduled maintenance.</h1>' });
    const plain = await caught(client.getProduct(10));
    assert.deepEqual([plain.status, plain.code, plain.kind, plain.retryable, plain.retryAfterMs], [503, 'http_503', 'server', true, undefined]);
    assert.match(plain.message, /Briefly unavailable/);
    const at = new Date(Date.now() + 60_000).toUTCString();
    answer({ status: 503, headers: { 'Retry-After': at }, body: '' });
    const dated = await caught(client.getProduct(10));
    assert.ok(dated.retryAfterMs !== undefined && dated.retryAfterMs > 55_000 && dated.retryAfterMs <= 60_000, String(dated.retryAfterMs));
  });

  it('500, 502 and 504 are retryable; 501 is not', async () => {
    for (const status of [500, 502, 504]) {
      answer({ status, body: 'upstream trouble' });
      assert.equal((await caught(client.getProduct(1))).retryable, true, String(status));
    }
    answer(json(501, { code: 'woocommerce_rest_trash_not_supported', message: 'no trash', data: { status: 501 } }));
    assert.equal((await caught(client.deleteProduct(1))).retryable, false);
  });

  it('a server that never answers times out as a retryable error', async () => {
    const quick = new WooClient({ baseUrl: stub.url, consumerKey: CK, consumerSecret: CS, timeoutMs: 300 });
    answer('hang');
    const err = await caught(quick.getProduct(10));
    quick.close();
    assert.deepEqual([err.status, err.code, err.kind, err.retryable], [0, 'timeout', 'timeout', true]);
    assert.match(err.message, /GET \/products\/10 failed \(no response, timeout\): no complete answer within 300 ms/);
  });

  it('a dropped connection and a refused connection are retryable network errors', async () => {
    answer('reset');
    const reset = await caught(client.getProduct(10));
    assert.deepEqual([reset.status, reset.kind, reset.retryable], [0, 'network', true]);
    assert.equal(reset.code, 'ECONNRESET');

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = new WooClient({ baseUrl: `http://127.0.0.1:${port}`, consumerKey: CK, consumerSecret: CS });
    const err = await caught(refused.getProduct(10));
    refused.close();
    assert.deepEqual([err.code, err.kind, err.retryable], ['ECONNREFUSED', 'network', true]);
    assertNoSecrets(err.message);
  });

  it('does not follow redirects and names the target without auth params', async () => {
    answer({ status: 301, headers: { Location: `https://shop.example/wp-json/wc/v3/products?consumer_key=${CK}&oauth_signature=xyz&page=2` } });
    const err = await caught(client.listProducts());
    assert.equal(stub.requests.length, 1);
    assert.deepEqual([err.status, err.kind, err.retryable], [301, 'redirect', false]);
    assert.match(err.message, /redirected to https:\/\/shop\.example\/wp-json\/wc\/v3\/products\?page=2/);
    assertNoSecrets(err.message);
  });

  it('a 200 that is not JSON (HTML home page, plain permalinks) is a final bad response', async () => {
    answer({ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!doctype html><html>Shop</html>' });
    const err = await caught(client.getProduct(10));
    assert.deepEqual([err.kind, err.retryable], ['bad_response', false]);
    assert.match(err.message, /permalinks/);
  });

  it('redacts credentials a proxy page echoes back', async () => {
    answer({ status: 502, body: `<p>Bad gateway for /wp-json/wc/v3/products?oauth_consumer_key=${CK}&oauth_signature=abc%3D secret ${CS}</p>` });
    const err = await caught(client.listProducts());
    assert.equal(err.retryable, true);
    assertNoSecrets(err.message);
  });

  describe('toActivityFailure', () => {
    it('429 becomes a retryable failure with nextRetryDelay from Retry-After', async () => {
      answer(json(429, { code: 'rate_limited', message: 'Too many requests', data: { status: 429 } }, { 'Retry-After': '3' }));
      const failure = toActivityFailure(await caught(client.listProducts({ per_page: 5 })));
      assert.ok(failure instanceof ApplicationFailure);
      assert.equal(failure.nonRetryable, false);
      assert.equal(failure.nextRetryDelay, 3000);
      assert.equal(failure.type, 'WooApiError.rate_limited');
      assert.deepEqual(failure.details, [{ status: 429, code: 'rate_limited' }]);
    });

    it('401 becomes a non-retryable failure naming method, path, status, code and message, without credentials', async () => {
      answer(fixture('53'));
      const failure = toActivityFailure(await caught(client.listProducts({ per_page: 5, search: 'tee' })));
      assert.equal(failure.nonRetryable, true);
      assert.equal(failure.nextRetryDelay, undefined);
      assert.equal(failure.type, 'WooApiError.auth');
      assert.deepEqual(failure.details, [{ status: 401, code: 'woocommerce_rest_authentication_error' }]);
      for (const part of ['GET', '/products?per_page=5&search=tee', '401', 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.']) {
        assert.ok(failure.message.includes(part), `${part} missing from: ${failure.message}`);
      }
      assertNoSecrets(failure.message);
      assert.ok(!failure.message.includes('oauth_'), failure.message);
    });

    it('a timeout becomes a retryable failure; unknown errors stay retryable and are redacted', async () => {
      const timeout = new WooApiError({ method: 'GET', path: '/orders', status: 0, code: 'timeout', wooMessage: 'no answer', retryable: true, kind: 'timeout' });
      assert.equal(toActivityFailure(timeout).nonRetryable, false);
      const other = toActivityFailure(new Error(`boom at /x?consumer_secret=${CS}`));
      assert.equal(other.nonRetryable, false);
      assert.equal(other.type, 'WooClientError');
      assertNoSecrets(other.message);
      const already = ApplicationFailure.nonRetryable('x', 'Y');
      assert.equal(toActivityFailure(already), already);
    });
  });

  describe('helpers', () => {
    it('parseRetryAfter reads seconds and HTTP dates', () => {
      const now = Date.parse('2026-11-23T08:00:00Z');
      assert.equal(parseRetryAfter('3', now), 3000);
      assert.equal(parseRetryAfter('Mon, 23 Nov 2026 08:00:10 GMT', now), 10_000);
      assert.equal(parseRetryAfter('Mon, 23 Nov 2026 07:00:00 GMT', now), 0);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter(undefined, now), undefined);
    });

    it('stripAuthParams removes oauth_* and consumer_* params only', () => {
      assert.equal(
        stripAuthParams('http://h/wp-json/wc/v3/products?per_page=2&oauth_nonce=n&oauth_signature=s%3D&consumer_key=ck_x&consumer_secret=cs_y&page=2'),
        'http://h/wp-json/wc/v3/products?per_page=2&page=2',
      );
      assert.equal(stripAuthParams('/products?oauth_nonce=n'), '/products');
      assert.equal(stripAuthParams('/products'), '/products');
    });
  });
});
