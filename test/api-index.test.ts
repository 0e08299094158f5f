import assert from 'node:assert/strict';
import { apiClient } from './helpers/api';
import { useTestStack } from './helpers/suite-setup';

/** Issue 8.12: the banner's `/api` answers an index of the API, not a 404. */
describe('GET /api: an index of the API (issue 8.12)', function () {
  const stack = useTestStack();

  it('lists every route with its method and a one-line meaning, and links the README', async () => {
    const api = apiClient(stack);
    const res = await api.get('/api');
    assert.equal(res.status, 200);
    const routes = res.data.routes as { method: string; path: string; meaning: string }[];
    const has = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path);
    for (const [method, path] of [
      ['GET', '/api'], ['POST', '/api/sales'], ['POST', '/api/products'], ['GET', '/api/products/:id'], ['GET', '/api/health'],
      ['GET', '/api/health/ready'], ['GET', '/api/sync-failures'], ['POST', '/webhooks/woocommerce/:connectionId'],
    ] as const) {
      const r = has(method, path);
      assert.ok(r, `${method} ${path} is listed`);
      assert.doesNotMatch(r.meaning, /not described/, `${method} ${path} has a meaning`);
    }
    assert.ok(!routes.some((r) => r.method === 'HEAD'), 'HEAD twins are left out');
    assert.equal(new Set(routes.map((r) => `${r.method} ${r.path}`)).size, routes.length, 'each route once');
    const readme = await api.get(new URL(res.data.readme).pathname);
    assert.equal(readme.status, 200);
    assert.match(String(readme.headers['content-type']), /text\/markdown/);
    assert.match(readme.data, /## The POS API/);
    assert.match(readme.data, /`GET \/api\/health`/);
  });
});
