import assert from 'node:assert/strict';
import { budgetLimits, decide, emptyBudget, parseRateLimitHeaders, recordAnswer, recordSend, viewBudget } from '../../activities/ecom/budget-state';
import { RequestBudget } from '../../activities/ecom/request-budget';

const L = budgetLimits({ timeScale: 1 });
const headers = (remaining: string, reset = '100/2000/20000') => ({ 'x-ratelimit-limit': '300/3000/12000', 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': reset });

describe('eCom budget rules (pure)', () => {
  it('parses the slash triples, reset seconds scaled to epoch ms', () => {
    assert.deepEqual(parseRateLimitHeaders(headers('299/2999/11999', '263/2063/23663'), 1000, 0.5), [
      { limit: 300, remaining: 299, resetAtMs: 1000 + 263 * 500 },
      { limit: 3000, remaining: 2999, resetAtMs: 1000 + 2063 * 500 },
      { limit: 12000, remaining: 11999, resetAtMs: 1000 + 23663 * 500 },
    ]);
    assert.equal(parseRateLimitHeaders({ 'x-ratelimit-limit': '300/3000' }, 0, 1), undefined);
    assert.equal(parseRateLimitHeaders(headers('a/b/c'), 0, 1), undefined);
  });

  it('sends one request alone until the first answer tells the budget', () => {
    const s = emptyBudget();
    assert.deepEqual(decide(s, L, 0), { send: true });
    recordSend(s, L, 0);
    assert.deepEqual(decide(s, L, 1), { send: false, retryAtMs: null });
    recordAnswer(s, L, 5, parseRateLimitHeaders(headers('299/2999/11999'), 5, 1));
    assert.deepEqual(decide(s, L, 6), { send: true });
  });

  it('counts requests in flight against the remaining, and waits for the reset when none is left', () => {
    const s = emptyBudget();
    recordSend(s, L, 0);
    recordAnswer(s, L, 10, parseRateLimitHeaders(headers('2/2000/11000', '50/2000/20000'), 10, 1));
    recordSend(s, L, 11);
    recordSend(s, L, 12);
    assert.deepEqual(decide(s, L, 13), { send: false, retryAtMs: null }, 'two in flight use the last two');
    recordAnswer(s, L, 20, parseRateLimitHeaders(headers('1/1999/10999', '50/2000/20000'), 20, 1));
    recordAnswer(s, L, 21, parseRateLimitHeaders(headers('0/1998/10998', '50/2000/20000'), 21, 1));
    assert.deepEqual(decide(s, L, 22), { send: false, retryAtMs: 21 + 50_000 });
    assert.deepEqual(decide(s, L, 21 + 50_000), { send: true }, 'after the reset one request goes to see');
    recordSend(s, L, 21 + 50_000);
    assert.deepEqual(decide(s, L, 21 + 50_001), { send: false, retryAtMs: null });
  });

  it('ignores a late answer that reports more remaining in the same window', () => {
    const s = emptyBudget();
    recordSend(s, L, 0);
    recordSend(s, L, 0);
    recordAnswer(s, L, 10, parseRateLimitHeaders(headers('5/2000/11000'), 10, 1));
    recordAnswer(s, L, 11, parseRateLimitHeaders(headers('6/2001/11001'), 11, 1));
    assert.equal(s.windows![0]!.remaining, 5);
  });

  it('holds a per-second slot while a request is in flight and for a second after its answer; honours Retry-After', () => {
    const s = emptyBudget();
    recordSend(s, L, 0);
    recordAnswer(s, L, 0, parseRateLimitHeaders(headers('299/2999/11999'), 0, 1));
    const limits = { ...L, maxInFlight: 100 };
    for (let i = 0; i < 19; i++) {
      assert.deepEqual(decide(s, limits, 100), { send: true });
      recordSend(s, limits, 100);
    }
    assert.deepEqual(decide(s, limits, 100), { send: false, retryAtMs: 0 + 1000 + L.perSecondGuardMs }, 'the first answer ages out first');
    for (let i = 0; i < 19; i++) recordAnswer(s, limits, 400, undefined);
    assert.deepEqual(decide(s, limits, 1000 + L.perSecondGuardMs + 1), { send: true });
    recordSend(s, limits, 1100);
    assert.deepEqual(decide(s, limits, 1101), { send: false, retryAtMs: 400 + 1000 + L.perSecondGuardMs }, 'answered at 400: busy until 1400');
    const t = emptyBudget();
    recordSend(t, L, 0);
    recordAnswer(t, L, 10, parseRateLimitHeaders(headers('0/2000/11000'), 10, 1), 7000);
    assert.deepEqual(decide(t, L, 11), { send: false, retryAtMs: 7010 });
    assert.equal(t.rateLimited, 1);
  });

  it('takes an aborted wait out of the backlog', async () => {
    const budget = new RequestBudget();
    const probe = await budget.acquire('catalog'); // alone until its answer arrives
    const controller = new AbortController();
    const waiting = budget.acquire('stock', controller.signal);
    assert.equal(budget.view().backlog.stock, 1);
    controller.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    assert.equal(budget.view().backlog.stock, 0);
    probe.done(undefined);
  });

  it('estimates how long a backlog takes to drain', () => {
    const s = emptyBudget();
    recordSend(s, L, 0);
    recordAnswer(s, L, 0, parseRateLimitHeaders(headers('10/2000/11000', '60/2000/20000'), 0, 1));
    assert.equal(viewBudget(s, L, 0, 0).drainEstimateMs, 0);
    assert.equal(viewBudget(s, L, 0, 10).drainEstimateMs, 500, 'within the window: the per-second pace');
    assert.equal(viewBudget(s, L, 0, 310).drainEstimateMs, 60_000, 'the rest fits in the next window');
    assert.equal(viewBudget(s, L, 0, 311).drainEstimateMs, 360_000, 'one more window');
  });
});
