import assert from 'node:assert/strict';
import { WooClient, resolveAuthMode, signOAuth1 } from '../../activities/woocommerce';
import { verifyOAuthRequest } from './oauth-verifier';
import { StubServer, fixture } from './stub-server';

const CK = 'ck_0123456789abcdef0123456789abcdef01234567';
const CS = 'cs_fedcba9876543210fedcba9876543210fedcba98';

describe('WooCommerce client authentication', () => {
  let stub: StubServer;
  const clients: WooClient[] = [];
  const client = (opts: Partial<ConstructorParameters<typeof WooClient>[0]> = {}): WooClient => {
    const c = new WooClient({ baseUrl: stub.url, consumerKey: CK, consumerSecret: CS, ...opts });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    stub = await StubServer.start(() => fixture('08'));
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await stub.close();
  });

  for (const signatureMethod of ['HMAC-SHA256', 'HMAC-SHA1'] as const) {
    it(`signs GET query params with ${signatureMethod} so the store can verify them`, async () => {
      await client({ signatureMethod }).listProducts({
        per_page: 2,
        page: 1,
        search: 'a b+c~d/ü*(x)',
        sku: 'SKU-1,SKU 2',
        include: [3, 1],
        dates_are_gmt: true,
      });
      const req = stub.requests[0]!;
      const v = verifyOAuthRequest(req, stub.url, CS);
      assert.equal(v.method, signatureMethod);
      assert.ok(v.ok, `signature rejected; base string ${v.baseString}`);
      assert.equal(v.params.get('oauth_consumer_key'), CK);
      assert.equal(v.params.get('search'), 'a b+c~d/ü*(x)');
      assert.equal(v.params.get('sku'), 'SKU-1,SKU 2');
      assert.equal(v.params.get('include'), '3,1');
      assert.equal(req.headers.authorization, undefined, 'no Authorization header over http');
      assert.equal(verifyOAuthRequest(req, stub.url, 'cs_wrong').ok, false);
    });
  }

  it('signs a JSON write without the body and with the store sub-path in the base URI', async () => {
    stub.handler = () => fixture('71');
    await client({ baseUrl: `${stub.url}/shop/` }).updateProduct(10, { description: 'set via OAuth 1.0a', stock_quantity: 42 });
    const req = stub.requests[0]!;
    assert.equal(req.method, 'PUT');
    assert.equal(req.path, '/shop/wp-json/wc/v3/products/10');
    assert.deepEqual(JSON.parse(req.body), { description: 'set via OAuth 1.0a', stock_quantity: 42 });
    assert.equal(req.headers['content-type'], 'application/json');
    assert.ok(verifyOAuthRequest(req, stub.url, CS).ok);
    // Signing the https:// URI against an http store is what fixture 75 shows failing.
    assert.equal(verifyOAuthRequest(req, stub.url.replace('http:', 'https:'), CS).ok, false);
  });

  it('never reuses a nonce, even for identical calls, and stamps the current time', async () => {
    const c = client();
    for (let i = 0; i < 25; i++) await c.listProducts({ per_page: 2 });
    const nonces = stub.requests.map((r) => new Map(r.query).get('oauth_nonce'));
    const signatures = stub.requests.map((r) => new Map(r.query).get('oauth_signature'));
    assert.equal(new Set(nonces).size, 25);
    assert.equal(new Set(signatures).size, 25);
    for (const r of stub.requests) {
      const q = new Map(r.query);
      assert.match(q.get('oauth_nonce') ?? '', /^[0-9a-f]{32}$/);
      assert.ok(Math.abs(Number(q.get('oauth_timestamp')) - Date.now() / 1000) < 60);
      assert.ok(verifyOAuthRequest(r, stub.url, CS).ok);
    }
    assert.equal(c.requestCount, 25);
  });

  it('signOAuth1 is deterministic for a given nonce and timestamp', () => {
    const input = {
      method: 'GET',
      url: 'http://127.0.0.1:8080/wp-json/wc/v3/products',
      query: [['per_page', '2']] as const,
      consumerKey: CK,
      consumerSecret: CS,
      nonce: 'abc',
      timestamp: 1795423116,
    };
    assert.deepEqual(signOAuth1(input), signOAuth1(input));
    assert.notDeepEqual(signOAuth1(input), signOAuth1({ ...input, nonce: 'abd' }));
  });

  it('sends Basic auth and no OAuth params in basic mode', async () => {
    await client({ authMode: 'basic' }).listProducts({ per_page: 2 });
    const req = stub.requests[0]!;
    assert.equal(req.headers.authorization, `Basic ${Buffer.from(`${CK}:${CS}`).toString('base64')}`);
    assert.deepEqual(req.query, [['per_page', '2']]);
  });

  it('picks Basic auth for https stores and OAuth 1.0a for http stores', () => {
    assert.equal(resolveAuthMode('https://shop.example'), 'basic');
    assert.equal(resolveAuthMode('http://shop.example'), 'oauth1');
    assert.equal(resolveAuthMode('https://shop.example', 'oauth1'), 'oauth1');
    const https = new WooClient({ baseUrl: 'https://shop.example/store/', consumerKey: CK, consumerSecret: CS });
    assert.equal(https.authMode, 'basic');
    assert.equal(https.apiBase, 'https://shop.example/store/wp-json/wc/v3');
    https.close();
    assert.equal(client().authMode, 'oauth1');
  });

  it('refuses a base URL with credentials or a query', () => {
    assert.throws(() => new WooClient({ baseUrl: 'https://shop.example/?x=1', consumerKey: CK, consumerSecret: CS }), /home URL/);
    assert.throws(() => new WooClient({ baseUrl: 'ftp://shop.example', consumerKey: CK, consumerSecret: CS }), /http/);
    assert.throws(() => new WooClient({ baseUrl: 'https://shop.example', consumerKey: '', consumerSecret: CS }), /required/);
  });
});
