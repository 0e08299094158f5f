import assert from 'node:assert/strict';
import { oauthSignature, oauthSignatureBaseString } from '../../sandbox/woocommerce';
import { baseString, oauthParams, percentEncode } from './helpers/oauth-signer';
import { createProduct, useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

const authError = (message: string) => ({ code: 'woocommerce_rest_authentication_error', message, data: { status: 401 } });

describe('WooCommerce sandbox: OAuth 1.0a over http', () => {
  const sandbox = useSandbox();

  for (const signatureMethod of ['HMAC-SHA256', 'HMAC-SHA1'] as const) {
    it(`accepts ${signatureMethod} signatures in the query, non-oauth params included`, async () => {
      await createProduct(sandbox(), { name: 'blue shirt', sku: 'A B+C~D/ü*(x)' });
      const res = await woo(sandbox(), { path: '/products', query: { sku: 'A B+C~D/ü*(x)', per_page: 5, search: 'blue shirt' }, signatureMethod });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.length, 1);
    });
  }

  it('accepts the Authorization: OAuth header, and JSON bodies are not signed', async () => {
    const res = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: 'Signed' }, auth: 'oauth-header', signatureMethod: 'HMAC-SHA1' });
    assert.equal(res.status, 201, res.text);
  });

  it('rejects a wrong secret, and a signature over the https:// URL of an http store', async () => {
    const wrong = await woo(sandbox(), { path: '/products', consumerSecret: 'cs_wrong' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, authError('Invalid signature - provided signature does not match.'));
    const https = await woo(sandbox(), { path: '/products', signUrl: sandbox().url.replace('http://', 'https://') });
    assert.deepEqual(https.body, authError('Invalid signature - provided signature does not match.'));
  });

  it('rejects a timestamp more than 15 minutes away', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 901, now + 901]) {
      const res = await woo(sandbox(), { path: '/products', timestamp });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, authError('Invalid timestamp.'));
    }
    assert.equal((await woo(sandbox(), { path: '/products', timestamp: now - 800 })).status, 200);
  });

  it('rejects a nonce used again by the same key', async () => {
    const first = await woo(sandbox(), { path: '/products', nonce: 'nonce-1' });
    assert.equal(first.status, 200);
    const again = await woo(sandbox(), { path: '/products', nonce: 'nonce-1', query: { page: 2 } });
    assert.equal(again.status, 401);
    assert.deepEqual(again.body, authError('Invalid nonce - nonce has already been used.'));
  });

  it('rejects an unknown key, missing oauth params and an unknown signature method', async () => {
    const unknown = await woo(sandbox(), { path: '/products', consumerKey: 'ck_unknown' });
    assert.deepEqual(unknown.body, authError('Consumer key is invalid.'));
    const partial = await fetch(`${sandbox().url}/wp-json/wc/v3/products?oauth_consumer_key=${sandbox().consumerKey}&oauth_nonce=abc`);
    assert.equal(partial.status, 401);
    assert.deepEqual(await partial.json(), {
      code: 'woocommerce_rest_authentication_missing_parameter',
      message: 'Missing OAuth parameters oauth_timestamp, oauth_signature, oauth_signature_method',
      data: { status: 401 },
    });
    const params = oauthParams({ method: 'GET', url: `${sandbox().url}/wp-json/wc/v3/products`, params: [], consumerKey: sandbox().consumerKey, consumerSecret: sandbox().consumerSecret });
    const plaintext = params.map(([k, v]): [string, string] => [k, k === 'oauth_signature_method' ? 'PLAINTEXT' : v]);
    const res = await fetch(`${sandbox().url}/wp-json/wc/v3/products?${plaintext.map(([k, v]) => `${k}=${percentEncode(v)}`).join('&')}`);
    assert.deepEqual(await res.json(), authError('Invalid signature - signature method is invalid.'));
  });

  it('treats Basic auth and query-string keys as anonymous over http', async () => {
    const basic = await woo(sandbox(), { path: '/products', auth: 'basic' });
    assert.equal(basic.status, 401);
    assert.deepEqual(basic.body, { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
    const query = await woo(sandbox(), { path: '/products', auth: 'query' });
    assert.equal(query.body.code, 'woocommerce_rest_cannot_view');
  });

  it('answers anonymous requests with the permission error of each operation', async () => {
    const p = await createProduct(sandbox(), { name: 'A' });
    const cases: Array<[string, string, unknown, string]> = [
      ['GET', '/products', undefined, 'woocommerce_rest_cannot_view'],
      ['POST', '/products', { name: 'x' }, 'woocommerce_rest_cannot_create'],
      ['GET', `/products/${p.id}`, undefined, 'woocommerce_rest_cannot_view'],
      ['PUT', `/products/${p.id}`, { name: 'x' }, 'woocommerce_rest_cannot_edit'],
      ['DELETE', `/products/${p.id}`, undefined, 'woocommerce_rest_cannot_delete'],
      ['POST', '/products/batch', { create: [] }, 'woocommerce_rest_cannot_batch'],
    ];
    for (const [method, path, body, code] of cases) {
      const res = await woo(sandbox(), { method, path, body, auth: 'none' });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal(res.body.code, code, `${method} ${path}`);
    }
    const create = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: 'x' }, auth: 'none' });
    assert.equal(create.body.message, 'Sorry, you are not allowed to create resources.');
    const unknown = await woo(sandbox(), { path: '/products/999999', auth: 'none' });
    assert.equal(unknown.status, 404, 'an unknown id passes the permission check and is not found');
  });

  it('ignores keys on the ?rest_route= form', async () => {
    const res = await fetch(`${sandbox().url}/?rest_route=/wc/v3/products`, {
      headers: { Authorization: `Basic ${Buffer.from(`${sandbox().consumerKey}:${sandbox().consumerSecret}`).toString('base64')}` },
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as any).code, 'woocommerce_rest_cannot_view');
  });

  it('exports the base string and signature it verifies with, matching an independent signer', () => {
    const url = 'http://127.0.0.1:8080/wp-json/wc/v3/products';
    const params: Array<[string, string]> = [
      ['search', 'a b+c~d/ü*(x)!'],
      ['sku', 'SKU-1,SKU 2'],
      ['a', ''],
      ['B', 'upper'],
      ['oauth_consumer_key', 'ck_x'],
      ['oauth_timestamp', '1795423116'],
      ['oauth_nonce', 'n'],
      ['oauth_signature_method', 'HMAC-SHA1'],
    ];
    const sandboxBase = oauthSignatureBaseString('get', url, Object.fromEntries(params));
    assert.equal(sandboxBase, baseString('GET', url, params));
    assert.match(sandboxBase, /^GET&http%3A%2F%2F127\.0\.0\.1%3A8080%2Fwp-json%2Fwc%2Fv3%2Fproducts&B%3Dupper%26a%3D%26oauth_consumer_key/);
    assert.ok(sandboxBase.includes('search%3Da%2520b%252Bc~d%252F%25C3%25BC%252A%2528x%2529%2521'));
    assert.equal(oauthSignature(sandboxBase, 'cs_s', 'HMAC-SHA256').length, 44);
  });
});

describe('WooCommerce sandbox: keys on a store that assumes HTTPS', () => {
  const sandbox = useSandbox({ assumeHttps: true });

  it('accepts Basic auth and query-string keys, with https links', async () => {
    const p = await createProduct(sandbox(), { name: 'A' });
    const basic = await woo(sandbox(), { path: `/products/${p.id}`, auth: 'basic' });
    assert.equal(basic.status, 200);
    assert.equal(basic.body._links.self[0].href, `${sandbox().url.replace('http://', 'https://')}/wp-json/wc/v3/products/${p.id}`);
    const query = await woo(sandbox(), { path: '/products', auth: 'query', query: { per_page: 1 } });
    assert.equal(query.status, 200);
    assert.match(query.headers.get('link') ?? '', /^<https:\/\//);
    const oauth = await woo(sandbox(), { path: '/products' });
    assert.equal(oauth.status, 200, 'OAuth requests are still checked against the http:// base URI');
  });

  it('answers a wrong secret with "Consumer secret is invalid." and an unknown key as anonymous', async () => {
    const wrong = await woo(sandbox(), { path: '/products', auth: 'basic', consumerSecret: 'cs_wrong' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, authError('Consumer secret is invalid.'));
    const unknownList = await woo(sandbox(), { path: '/products', auth: 'basic', consumerKey: 'ck_nope' });
    assert.equal(unknownList.body.code, 'woocommerce_rest_cannot_view');
    const unknownCreate = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: 'x' }, auth: 'basic', consumerKey: 'ck_nope' });
    assert.equal(unknownCreate.body.code, 'woocommerce_rest_cannot_create');
  });
});

describe('WooCommerce sandbox: a read-only key', () => {
  const sandbox = useSandbox({ readOnlyKey: true });

  it('reads but may not write', async () => {
    assert.equal((await woo(sandbox(), { path: '/products' })).status, 200);
    const res = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: 'x' } });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, authError('The API key provided does not have write permissions.'));
    const batch = await woo(sandbox(), { method: 'POST', path: '/products/batch', body: { create: [{ name: 'x' }] } });
    assert.equal(batch.status, 401);
    assert.deepEqual(sandbox().state.products(), []);
  });
});
