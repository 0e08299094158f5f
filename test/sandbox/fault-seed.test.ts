import assert from 'node:assert/strict';
import { FaultInjector } from '../../sandbox/woocommerce/faults';

describe('WooCommerce sandbox: seeded random faults', () => {
  const decisions = (seed?: number) => {
    const faults = new FaultInjector();
    faults.set({ serverErrorRate: 0.15, rateLimitRate: 0.15, seed });
    return Array.from({ length: 200 }, () => {
      const d = faults.decide('GET', '/products');
      return d.kind === 'answer' ? d.status : 200;
    });
  };

  it('the same seed gives the same faults in request order; another seed other ones', () => {
    const one = decisions(1);
    assert.deepEqual(decisions(1), one);
    assert.notDeepEqual(decisions(2), one);
    const failed = one.filter((s) => s !== 200).length;
    assert.ok(failed > 30 && failed < 90, `${failed} of 200 failed at a 15% + 15% rate`);
    assert.ok(one.includes(429) && one.some((s) => s >= 500), 'both kinds');
  });
});
