// Issue 8 point 3 / issue 9: how a connection check tells a good key from a wrong, unknown, read-only
// or powerless one, and a store that is not there, on the sandbox (CI) and on a real WooCommerce 8.9.1
// (WOO_CONTRACT_URL, WOO_CONTRACT_KEY, WOO_CONTRACT_SECRET, and WOO_CONTRACT_MYSQL to create the
// test's own read-only key and a shop customer's key). WOO_CONTRACT_RECORD=1 rewrites the recording
// the sandbox is held to: test/fixtures/woocommerce-real/connection-check.json.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { WooClient } from '../../activities/woocommerce/client';
import { checkWooStore } from '../../activities/woocommerce/connection-check';
import { startWooSandbox, type WooSandbox } from '../../sandbox/woocommerce';
import { freePort } from '../../stack/temporal-dev-server';
import type { ConnectionCheckReport } from '../../workflows/contracts/connections';
import { openContractStore, type ContractStore } from './store';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'woocommerce-real', 'connection-check.json');
const run = promisify(execFile);

const READ_ONLY = { key: `ck_connro${'0'.repeat(32)}1`, secret: `cs_connro${'0'.repeat(32)}2` };
const CUSTOMER = { key: `ck_conncu${'0'.repeat(32)}1`, secret: `cs_conncu${'0'.repeat(32)}2` };

async function sql(query: string): Promise<string> {
  const { stdout } = await run('bash', ['-c', `${process.env.WOO_CONTRACT_MYSQL} -N -B -e "$1"`, 'sql', query], { timeout: 30_000 });
  return stdout.trim();
}

/** A REST key as wp-admin creates it (consumer_key stored as wc_api_hash), once. */
async function ensureRealKey(userId: string, k: { key: string; secret: string }, permissions: 'read' | 'read_write'): Promise<void> {
  const hash = crypto.createHmac('sha256', 'wc-api').update(k.key).digest('hex');
  await sql(`INSERT INTO wp_woocommerce_api_keys (user_id, description, permissions, consumer_key, consumer_secret, truncated_key)
    SELECT ${userId}, 'possync connection-check contract (${permissions})', '${permissions}', '${hash}', '${k.secret}', '${k.key.slice(-7)}' FROM dual
    WHERE NOT EXISTS (SELECT 1 FROM wp_woocommerce_api_keys WHERE consumer_key = '${hash}')`);
}

/** A customer of the shop (no right to edit products), once. */
async function ensureCustomer(): Promise<string> {
  const login = 'possync-conn-customer';
  await sql(`INSERT INTO wp_users (user_login, user_pass, user_nicename, user_email, user_registered, display_name)
    SELECT '${login}', '*', '${login}', '${login}@example.invalid', NOW(), '${login}' FROM dual WHERE NOT EXISTS (SELECT 1 FROM wp_users WHERE user_login = '${login}')`);
  const id = await sql(`SELECT ID FROM wp_users WHERE user_login = '${login}'`);
  await sql(`INSERT INTO wp_usermeta (user_id, meta_key, meta_value) SELECT ${id}, 'wp_capabilities', 'a:1:{s:8:\\"customer\\";b:1;}' FROM dual
    WHERE NOT EXISTS (SELECT 1 FROM wp_usermeta WHERE user_id = ${id} AND meta_key = 'wp_capabilities')`);
  return id;
}

type Recorded = Pick<ConnectionCheckReport, 'ok' | 'steps' | 'detail'>;
const recorded = (r: ConnectionCheckReport): Recorded => ({ ok: r.ok, steps: r.steps, ...(r.detail ? { detail: r.detail } : {}) });

describe('contract: the connection check (issue 8 point 3, issue 9)', function () {
  this.timeout(120_000);
  let store: ContractStore;
  let readOnlySandbox: WooSandbox | undefined;
  const results: Record<string, Recorded> = {};

  before(async () => {
    store = await openContractStore();
    if (store.sandbox) {
      readOnlySandbox = await startWooSandbox({ readOnlyKey: true, consumerKey: READ_ONLY.key, consumerSecret: READ_ONLY.secret });
    } else if (process.env.WOO_CONTRACT_MYSQL) {
      await ensureRealKey('1', READ_ONLY, 'read');
      await ensureRealKey(await ensureCustomer(), CUSTOMER, 'read_write');
    }
  });
  after(async () => {
    await readOnlySandbox?.close();
    await store?.close();
    if (store?.kind === 'real' && process.env.WOO_CONTRACT_RECORD === '1') {
      fs.writeFileSync(FIXTURE, `${JSON.stringify({ recordedOn: 'WooCommerce 8.9.1 (../shared/woocommerce-real), http:// so OAuth 1.0a', cases: results }, null, 2)}\n`);
    }
  });

  const check = (url: string, key: string, secret: string) => checkWooStore(new WooClient({ baseUrl: url, consumerKey: key, consumerSecret: secret, timeoutMs: 10_000 }), 'contract');
  const recordedCase = (name: string): Recorded | undefined => {
    if (store.kind === 'real' || !fs.existsSync(FIXTURE)) return undefined;
    return JSON.parse(fs.readFileSync(FIXTURE, 'utf8')).cases[name];
  };
  const expectCase = (name: string, r: ConnectionCheckReport) => {
    results[name] = recorded(r);
    const real = recordedCase(name);
    if (real) assert.deepEqual(recorded(r), real, `the sandbox differs from the real store for "${name}"`);
  };

  it('a read/write key passes: reachable, accepted, read, write (an empty batch writes nothing)', async () => {
    const r = await check(store.url, store.consumerKey, store.consumerSecret);
    assert.equal(r.ok, true, r.problem);
    assert.deepEqual(r.steps, { reachable: 'ok', credentials: 'ok', read: 'ok', write: 'ok' });
    expectCase('read_write', r);
  });

  it('a wrong secret: the signature does not match', async () => {
    const r = await check(store.url, store.consumerKey, `cs_${'9'.repeat(40)}`);
    assert.deepEqual(r.steps, { reachable: 'ok', credentials: 'failed', read: 'not checked', write: 'not checked' });
    assert.match(r.problem!, /refuses the consumer secret/);
    expectCase('wrong_secret', r);
  });

  it('an unknown key: the store does not know it', async () => {
    const r = await check(store.url, `ck_${'8'.repeat(40)}`, `cs_${'8'.repeat(40)}`);
    assert.equal(r.steps.credentials, 'failed');
    assert.match(r.problem!, /does not know this consumer key/);
    expectCase('unknown_key', r);
  });

  it('a read-only key: reads, and is refused the write without anything written', async function () {
    const url = readOnlySandbox?.url ?? store.url;
    if (!readOnlySandbox && !process.env.WOO_CONTRACT_MYSQL) this.skip();
    const r = await check(url, READ_ONLY.key, READ_ONLY.secret);
    assert.deepEqual(r.steps, { reachable: 'ok', credentials: 'ok', read: 'ok', write: 'failed' });
    assert.match(r.problem!, /the key is read-only/);
    expectCase('read_only', r);
  });

  it("a key of a customer (no right to manage products): the store refuses the user, not the key", async function () {
    // The sandbox models key permissions, not WordPress roles: recorded on the real store only.
    if (store.sandbox || !process.env.WOO_CONTRACT_MYSQL) this.skip();
    const r = await check(store.url, CUSTOMER.key, CUSTOMER.secret);
    assert.equal(r.ok, false);
    assert.equal(r.steps.credentials, 'ok');
    assert.match(r.problem!, /user may not/);
    expectCase('customer_key', r);
  });

  it('nothing listening: unreachable, with the URL', async () => {
    const r = await check(`http://127.0.0.1:${await freePort()}`, store.consumerKey, store.consumerSecret);
    assert.deepEqual(r.steps, { reachable: 'failed', credentials: 'not checked', read: 'not checked', write: 'not checked' });
    assert.match(r.problem!, /cannot reach http:\/\/127\.0\.0\.1:\d+\/wp-json\/wc\/v3/);
  });
});
