import assert from 'node:assert/strict';
import { createProduct, useSandbox, variableProduct } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

describe('WooCommerce sandbox: listing products', () => {
  const sandbox = useSandbox();

  async function seed(n: number): Promise<any[]> {
    const res = await woo(sandbox(), {
      method: 'POST',
      path: '/products/batch',
      body: { create: Array.from({ length: n }, (_, i) => ({ name: `Item ${i + 1}`, sku: `ITEM-${i + 1}`, regular_price: String(10 + i) })) },
    });
    assert.equal(res.status, 200);
    return res.body.create;
  }

  it('pages with X-WP-Total, X-WP-TotalPages and Link prev/next that repeat the query', async () => {
    const items = await seed(7);
    const p1 = await woo(sandbox(), { path: '/products', query: { per_page: 2, page: 1, orderby: 'id', order: 'asc' } });
    assert.equal(p1.headers.get('x-wp-total'), '7');
    assert.equal(p1.headers.get('x-wp-totalpages'), '4');
    assert.deepEqual(p1.body.map((p: any) => p.id), [items[0].id, items[1].id]);
    const link1 = p1.headers.get('link') ?? '';
    assert.match(link1, /^<http:\/\/127\.0\.0\.1:\d+\/wp-json\/wc\/v3\/products\?per_page=2&page=2&orderby=id&order=asc&oauth_[^>]+>; rel="next"$/);
    const p2 = await woo(sandbox(), { path: '/products', query: { per_page: 2, page: 2, orderby: 'id', order: 'asc' } });
    const link2 = p2.headers.get('link') ?? '';
    assert.match(link2, /page=1[^>]*>; rel="prev", <[^>]*page=3[^>]*>; rel="next"$/);
    const last = await woo(sandbox(), { path: '/products', query: { per_page: 2, page: 4 } });
    assert.equal(last.body.length, 1);
    assert.doesNotMatch(last.headers.get('link') ?? '', /rel="next"/);
    const beyond = await woo(sandbox(), { path: '/products', query: { per_page: 2, page: 9 } });
    assert.equal(beyond.status, 200);
    assert.deepEqual(beyond.body, []);
    assert.equal(beyond.headers.get('x-wp-total'), '7');
    const single = await woo(sandbox(), { path: '/products' });
    assert.equal(single.headers.get('link'), `<${sandbox().url}/wp-json/>; rel="https://api.w.org/"`);
  });

  it('appends page to the Link when the request had none, urlencoding the repeated values', async () => {
    await seed(3);
    const res = await woo(sandbox(), { path: '/products', query: { per_page: 1, _fields: 'id,sku' } });
    assert.match(res.headers.get('link') ?? '', /\?per_page=1&_fields=id%2Csku&.*&page=2>; rel="next"$/);
    assert.deepEqual(Object.keys(res.body[0]), ['id', 'sku']);
  });

  it('limits per_page to 1..100 with 400 rest_invalid_param, default 10', async () => {
    await seed(12);
    for (const perPage of [0, 101, 500]) {
      const res = await woo(sandbox(), { path: '/products', query: { per_page: perPage } });
      assert.equal(res.status, 400, `per_page=${perPage}`);
      assert.equal(res.body.code, 'rest_invalid_param');
      assert.deepEqual(res.body.data.params, { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' });
    }
    const page0 = await woo(sandbox(), { path: '/products', query: { page: 0 } });
    assert.equal(page0.body.data.params.page, 'page must be greater than or equal to 1');
    const def = await woo(sandbox(), { path: '/products' });
    assert.equal(def.body.length, 10);
    assert.equal(def.headers.get('x-wp-totalpages'), '2');
    const max = await woo(sandbox(), { path: '/products', query: { per_page: 100 } });
    assert.equal(max.body.length, 12);
  });

  it('filters by exact SKU, comma lists and also finds variations; totals exclude variations', async () => {
    const simple = await createProduct(sandbox(), { name: 'Simple', sku: 'SIMPLE-1', regular_price: '5' });
    const { parent, variations } = await variableProduct(sandbox(), 'VAR-1', ['S', 'M']);
    const all = await woo(sandbox(), { path: '/products' });
    assert.equal(all.headers.get('x-wp-total'), '2');
    const one = await woo(sandbox(), { path: '/products', query: { sku: 'SIMPLE-1' } });
    assert.deepEqual(one.body.map((p: any) => p.id), [simple.id]);
    const partial = await woo(sandbox(), { path: '/products', query: { sku: 'SIMPLE' } });
    assert.deepEqual(partial.body, [], 'the sku filter is exact');
    const variation = await woo(sandbox(), { path: '/products', query: { sku: 'VAR-1-S' } });
    assert.equal(variation.headers.get('x-wp-total'), '1');
    assert.equal(variation.body[0].id, variations[0].id);
    assert.equal(variation.body[0].type, 'variation');
    assert.equal(variation.body[0].parent_id, parent.id);
    assert.equal(variation.body[0].name, `${parent.name} - S`);
    const list = await woo(sandbox(), { path: '/products', query: { sku: 'SIMPLE-1,VAR-1-M,NOPE' } });
    assert.deepEqual(list.body.map((p: any) => p.sku).sort(), ['SIMPLE-1', 'VAR-1-M']);
    const none = await woo(sandbox(), { path: '/products', query: { sku: 'DOES-NOT-EXIST' } });
    assert.deepEqual(none.body, []);
    assert.equal(none.headers.get('x-wp-total'), '0');
    assert.equal(none.headers.get('x-wp-totalpages'), '0');
  });

  it('orders by date (newest first) by default and by id/title on request', async () => {
    const items = await seed(3);
    sandbox().state.editProduct(items[0].id, { date_created_gmt: '2020-01-01T00:00:00', name: 'Zulu' });
    sandbox().state.editProduct(items[2].id, { date_created_gmt: '2021-01-01T00:00:00', name: 'Alpha' });
    const byDate = await woo(sandbox(), { path: '/products' });
    assert.deepEqual(byDate.body.map((p: any) => p.id), [items[1].id, items[2].id, items[0].id]);
    const byTitle = await woo(sandbox(), { path: '/products', query: { orderby: 'title', order: 'asc' } });
    assert.deepEqual(byTitle.body.map((p: any) => p.name), ['Alpha', 'Item 2', 'Zulu']);
    const byId = await woo(sandbox(), { path: '/products', query: { orderby: 'id', order: 'desc' } });
    assert.deepEqual(byId.body.map((p: any) => p.id), [items[2].id, items[1].id, items[0].id]);
    const bad = await woo(sandbox(), { path: '/products', query: { order: 'up' } });
    assert.equal(bad.body.data.params.order, 'order is not one of asc and desc.');
  });

  it('filters by modified_after in site time, or in GMT with dates_are_gmt', async () => {
    const items = await seed(2);
    const now = sandbox().state.product(items[0].id).date_modified_gmt as string;
    const hourAgo = new Date(Date.parse(`${now}Z`) - 3600_000).toISOString().slice(0, 19);
    const recent = await woo(sandbox(), { path: '/products', query: { modified_after: hourAgo, dates_are_gmt: true } });
    assert.equal(recent.headers.get('x-wp-total'), '2');
    const future = await woo(sandbox(), { path: '/products', query: { modified_after: '2099-01-01T00:00:00' } });
    assert.equal(future.headers.get('x-wp-total'), '0');
    const invalid = await woo(sandbox(), { path: '/products', query: { modified_after: 'yesterday' } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.data.details.modified_after.code, 'rest_invalid_date');
  });

  it('filters by status (trash only when asked), search, type and include', async () => {
    const items = await seed(3);
    await variableProduct(sandbox(), 'V', ['S']);
    await woo(sandbox(), { method: 'DELETE', path: `/products/${items[0].id}` });
    const any = await woo(sandbox(), { path: '/products' });
    assert.equal(any.headers.get('x-wp-total'), '3');
    const trash = await woo(sandbox(), { path: '/products', query: { status: 'trash' } });
    assert.deepEqual(trash.body.map((p: any) => p.id), [items[0].id]);
    const search = await woo(sandbox(), { path: '/products', query: { search: 'item 3' } });
    assert.deepEqual(search.body.map((p: any) => p.id), [items[2].id]);
    const variable = await woo(sandbox(), { path: '/products', query: { type: 'variable' } });
    assert.equal(variable.body.length, 1);
    const include = await woo(sandbox(), { path: '/products', query: { include: `${items[1].id},${items[2].id}`, orderby: 'include' } });
    assert.deepEqual(include.body.map((p: any) => p.id), [items[1].id, items[2].id]);
  });
});

describe('WooCommerce sandbox: dates in a site time zone', () => {
  const sandbox = useSandbox({ timezoneOffsetMinutes: 120 });

  it('shows non-gmt dates in site time and compares date filters with the column they name', async () => {
    const p = await createProduct(sandbox(), { name: 'A' });
    const gmt = Date.parse(`${p.date_modified_gmt}Z`);
    assert.equal(Date.parse(`${p.date_modified}Z`) - gmt, 2 * 3600_000);
    const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
    const gmtMinus90 = iso(gmt - 90 * 60_000);
    const asGmt = await woo(sandbox(), { path: '/products', query: { modified_after: gmtMinus90, dates_are_gmt: true } });
    assert.equal(asGmt.headers.get('x-wp-total'), '1');
    const asLocal = await woo(sandbox(), { path: '/products', query: { modified_after: iso(gmt + 30 * 60_000) } });
    assert.equal(asLocal.headers.get('x-wp-total'), '1', 'site time is 2 h ahead, so +30 min GMT is still before the local modified date');
    const withOffset = await woo(sandbox(), { path: '/products', query: { modified_after: `${iso(gmt + 30 * 60_000)}Z` } });
    assert.equal(withOffset.headers.get('x-wp-total'), '0', 'a value with an offset is converted to site time first');
  });
});
