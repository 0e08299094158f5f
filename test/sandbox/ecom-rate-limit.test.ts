import assert from 'node:assert/strict';
import { ecom, useEcomSandbox } from './helpers/ecom';

const triple = (h: Headers, name: string) => h.get(`x-ratelimit-${name}`)!.split('/').map(Number);

/** Polls until the sandbox accepts a request again (the window it waited on has reset). */
async function untilAccepted(send: () => Promise<{ status: number }>): Promise<void> {
  for (;;) {
    if ((await send()).status !== 429) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('eCom sandbox: rate limits', () => {
  const sandbox = useEcomSandbox();

  beforeEach(() => sandbox().setRateLimit({}));

  it('sends the limit, remaining and reset slash triples on every answer, errors included', async () => {
    const first = await ecom(sandbox(), { path: '/products' });
    assert.equal(first.headers.get('x-ratelimit-limit'), '300/3000/12000');
    assert.deepEqual(triple(first.headers, 'remaining'), [299, 2999, 11999]);
    const reset = triple(first.headers, 'reset');
    assert.ok(reset[0]! > 0 && reset[0]! <= 300 && reset[1]! <= 3600 && reset[2]! <= 86400, String(reset));
    const notFound = await ecom(sandbox(), { path: '/products/1' });
    assert.equal(notFound.status, 404);
    assert.deepEqual(triple(notFound.headers, 'remaining'), [298, 2998, 11998]);
    const badLang = await ecom(sandbox(), { path: '/products', lang: 'xx' });
    assert.deepEqual(triple(badLang.headers, 'remaining'), [297, 2997, 11997]);
  });

  it('caps 20 requests per second: the 21st at once gets 429 with Retry-After and the error envelope', async () => {
    const replies = await Promise.all(Array.from({ length: 25 }, () => ecom(sandbox(), { path: '/products/count' })));
    const refused = replies.filter((r) => r.status === 429);
    assert.equal(replies.filter((r) => r.status === 200).length, 20);
    assert.equal(refused.length, 5);
    assert.equal(refused[0]!.headers.get('retry-after'), '1');
    assert.equal(refused[0]!.body.error.code, 429);
    assert.ok(refused[0]!.headers.get('x-ratelimit-remaining'));
    assert.equal(sandbox().stats().rateLimited, 5);
    assert.equal(sandbox().stats().peakPerSecond, 20);
  });

  it('refuses the 301st request of a 5-minute window until the window resets (time-scaled)', async () => {
    sandbox().setRateLimit({ timeScale: 0.01, perSecond: 1e6 }); // 5 minutes = 3 s
    // All at once, so a slow machine cannot stretch the burst past the 3-second window.
    const burst = await Promise.all(Array.from({ length: 300 }, () => ecom(sandbox(), { path: '/products/count' })));
    assert.ok(burst.every((r) => r.status === 200));
    const refused = await ecom(sandbox(), { path: '/products/count' });
    assert.equal(refused.status, 429);
    assert.equal(triple(refused.headers, 'remaining')[0], 0);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 300, `Retry-After ${retryAfter} in API seconds`);
    assert.equal(refused.body.error.message, 'Rate limit exceeded');
    await untilAccepted(() => ecom(sandbox(), { path: '/products/count' }));
    const fresh = await ecom(sandbox(), { path: '/products/count' });
    assert.equal(triple(fresh.headers, 'remaining')[0], 298, 'a fixed window returns to its full limit');
    assert.equal(triple(fresh.headers, 'remaining')[1], 3000 - 302);
    assert.deepEqual(sandbox().stats().fiveMinuteWindows.map((w) => w.used), [300, 2]);
  });

  it('in sliding mode frees one slot as each request ages out of the window', async () => {
    sandbox().setRateLimit({ timeScale: 0.01, perSecond: 1e6, limits: [30, 3000, 12000], mode: 'sliding' });
    for (let i = 0; i < 30; i++) assert.equal((await ecom(sandbox(), { path: '/products/count' })).status, 200);
    assert.equal((await ecom(sandbox(), { path: '/products/count' })).status, 429);
    await untilAccepted(() => ecom(sandbox(), { path: '/products/count' }));
    const next = await ecom(sandbox(), { path: '/products/count' });
    assert.ok(triple(next.headers, 'remaining')[0]! < 30, 'only the requests that aged out came back');
  });

  it('does not count a request whose credentials are wrong', async () => {
    await ecom(sandbox(), { path: '/products', noAuth: true });
    const ok = await ecom(sandbox(), { path: '/products' });
    assert.deepEqual(triple(ok.headers, 'remaining'), [299, 2999, 11999]);
  });
});
