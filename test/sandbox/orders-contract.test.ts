// Replays the recorded order exchanges (fixtures 29-34, 36-38, 46) after the product exchanges that
// built the recorded catalog (01-24), and compares status, headers and bodies. Dates, order keys and
// hosts are normalized; everything else must match, ids included.
import assert from 'node:assert/strict';
import { type WooSandbox, startWooSandbox } from '../../sandbox/woocommerce';
import { type RecordedExchange, recorded } from './helpers/fixtures';

const RECORDED_HOME = 'https://127.0.0.1:8080';
const WP_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

function normalize(value: unknown, home: string): unknown {
  if (typeof value === 'string') {
    if (WP_DATE.test(value)) return 'DATE';
    return value.split(RECORDED_HOME).join('HOME').split(home).join('HOME').replace(/wc_order_[A-Za-z0-9]{13}/g, 'KEY');
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, home));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'related_ids') out[k] = normalize(v, home);
    return out;
  }
  return value;
}

const PRODUCT_HISTORY = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24'];

describe('WooCommerce sandbox: orders contract with the recorded store', () => {
  let sandbox: WooSandbox;
  let basic: Record<string, string>;

  before(async () => {
    sandbox = await startWooSandbox({ assumeHttps: true });
    basic = { Authorization: `Basic ${Buffer.from(`${sandbox.consumerKey}:${sandbox.consumerSecret}`).toString('base64')}` };
  });
  after(async () => {
    await sandbox.close();
  });

  async function replay(fixture: RecordedExchange, target = fixture.request!.target): Promise<{ res: Response; body: any }> {
    const req = fixture.request!;
    const res = await fetch(sandbox.url + target, { method: req.method, headers: { ...basic, ...(req.body ? { 'Content-Type': 'application/json' } : {}) }, body: req.body });
    return { res, body: await res.json() };
  }

  function compare(fixture: RecordedExchange, got: { res: Response; body: unknown }, body: unknown = got.body, want: unknown = fixture.body): void {
    const home = sandbox.url.replace('http://', 'https://');
    assert.equal(got.res.status, fixture.status, `${fixture.name}: status`);
    for (const h of ['x-wp-total', 'x-wp-totalpages', 'location', 'allow', 'content-type']) {
      assert.equal(normalize(got.res.headers.get(h), home), normalize(fixture.headers[h] ?? null, home), `${fixture.name}: header ${h}`);
    }
    assert.deepEqual(normalize(body, home), normalize(want, home), `${fixture.name}: body`);
  }

  /** The recorded list filters on a time one minute before the order: the same relative to now. */
  const recentTarget = (target: string): string => target.replace(/modified_after=[^&Z]+/, `modified_after=${new Date(Date.now() - 60_000).toISOString().slice(0, 19)}`);

  it('creates, reads, lists, annotates and completes an order like the recorded store', async () => {
    for (const n of PRODUCT_HISTORY) await replay(recorded(n));
    const byId = (a: any, b: any): number => a.id - b.id;
    for (const n of ['29', '30', '31', '32', '33', '34', '36', '37', '38', '46']) {
      const fixture = recorded(n);
      const got = await replay(fixture, n === '32' || n === '33' ? recentTarget(fixture.request!.target) : undefined);
      // Notes come newest first; the recording's two notes of the same second are compared as a set.
      if (n === '37') compare(fixture, got, [...(got.body as any[])].sort(byId), [...fixture.body].sort(byId));
      else compare(fixture, got);
    }
  });

  it('keeps the recorded key order of an order and its line items', async () => {
    const got = (await replay(recorded('46'), '/wp-json/wc/v3/orders/20')).body;
    const want = recorded('38').body;
    assert.deepEqual(Object.keys(got), Object.keys(want));
    assert.deepEqual(Object.keys(got.line_items[1]), Object.keys(want.line_items[1]));
    assert.deepEqual(Object.keys(got.shipping_lines[0]), Object.keys(want.shipping_lines[0]));
    assert.equal(typeof got.line_items[2].price, 'number');
  });
});
