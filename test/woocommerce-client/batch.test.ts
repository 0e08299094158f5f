import assert from 'node:assert/strict';
import {
  WooApiError,
  WooClient,
  chunk,
  isDuplicateSkuError,
  splitBatchResult,
  type WooBatchResponse,
  type WooProduct,
} from '../../activities/woocommerce';
import { StubServer, fixture, fixtureRequestBody } from './stub-server';

const CK = 'ck_0123456789abcdef0123456789abcdef01234567';
const CS = 'cs_fedcba9876543210fedcba9876543210fedcba98';

describe('WooCommerce batches', () => {
  let stub: StubServer;
  let client: WooClient;

  beforeEach(async () => {
    stub = await StubServer.start(() => fixture('24'));
    client = new WooClient({ baseUrl: stub.url, consumerKey: CK, consumerSecret: CS });
  });
  afterEach(async () => {
    client.close();
    await stub.close();
  });

  it('refuses more than 100 items in total before sending anything', async () => {
    const create = Array.from({ length: 60 }, (_, i) => ({ name: `p${i}` }));
    const update = Array.from({ length: 41 }, (_, i) => ({ id: i + 1, regular_price: '1.00' }));
    await assert.rejects(client.batchProducts({ create, update }), (err: unknown) => {
      assert.ok(err instanceof WooApiError);
      assert.deepEqual([err.kind, err.retryable, err.status], ['invalid_request', false, 0]);
      assert.match(err.message, /batch holds 101 items \(create 60, update 41, delete 0\).*at most 100/);
      return true;
    });
    await assert.rejects(client.batchVariations(11, { delete: Array.from({ length: 101 }, (_, i) => i + 1) }), /at most 100/);
    assert.equal(stub.requests.length, 0);
    assert.equal(client.requestCount, 0);
  });

  it('sends exactly 100 items in one request', async () => {
    await client.batchProducts({ update: Array.from({ length: 100 }, (_, i) => ({ id: i + 1 })) });
    assert.equal(stub.requests.length, 1);
    assert.equal(stub.requests[0]!.path, '/wp-json/wc/v3/products/batch');
    assert.equal((JSON.parse(stub.requests[0]!.body) as { update: unknown[] }).update.length, 100);
  });

  it('splits a mixed batch answer into successes and per-item failures in input order (fixture 24)', async () => {
    const request = JSON.parse(fixtureRequestBody('24')) as Parameters<WooClient['batchProducts']>[0];
    const resp = await client.batchProducts(request);
    assert.deepEqual(JSON.parse(stub.requests[0]!.body), request);
    const split = splitBatchResult(resp);
    assert.deepEqual(split.ok.map((p) => p.id), [19, 10, 18]);
    assert.deepEqual(split.okEntries.map((e) => [e.op, e.index, e.item.id]), [['create', 0, 19], ['update', 0, 10], ['delete', 0, 18]]);
    assert.equal(split.failed.length, 1);
    const [failure] = split.failed;
    assert.deepEqual([failure!.op, failure!.index, failure!.id, failure!.error.code], ['update', 1, 999999, 'woocommerce_rest_product_invalid_id']);
    assert.equal(isDuplicateSkuError(failure), undefined);
  });

  it('reads the SKU holder from per-item duplicate-SKU errors (fixture 43)', async () => {
    stub.handler = () => fixture('43');
    const resp = await client.batchProducts(JSON.parse(fixtureRequestBody('43')) as Parameters<WooClient['batchProducts']>[0]);
    const split = splitBatchResult(resp);
    assert.equal(split.ok.length, 0);
    assert.deepEqual(split.failed.map((f) => [f.op, f.index, f.id, f.error.code]), [
      ['create', 0, 0, 'product_invalid_sku'],
      ['update', 0, 15, 'product_invalid_sku'],
    ]);
    assert.equal(isDuplicateSkuError(resp.create![0]), 10);
    assert.equal(isDuplicateSkuError(split.failed[1]!.error), 10);
  });

  it('sends variation batches to the parent product (fixture 18)', async () => {
    stub.handler = () => fixture('18');
    const resp = await client.batchVariations(11, JSON.parse(fixtureRequestBody('18')) as Parameters<WooClient['batchVariations']>[1]);
    assert.equal(stub.requests[0]!.path, '/wp-json/wc/v3/products/11/variations/batch');
    assert.ok(splitBatchResult(resp).ok.length > 0);
  });

  it('chunk cuts lists into pieces of at most 100 by default', () => {
    assert.deepEqual(chunk(Array.from({ length: 250 }, (_, i) => i)).map((c) => c.length), [100, 100, 50]);
    assert.deepEqual(chunk([1, 2, 3], 2), [[1, 2], [3]]);
    assert.deepEqual(chunk([], 5), []);
    assert.throws(() => chunk([1], 0), RangeError);
  });

  it('splitBatchResult tolerates missing sections', () => {
    const resp: WooBatchResponse<WooProduct> = {};
    assert.deepEqual(splitBatchResult(resp), { ok: [], okEntries: [], failed: [] });
  });
});
