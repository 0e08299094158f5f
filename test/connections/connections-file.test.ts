// Issue 9 "Connections": the connections file is validated at start; every problem names the connection and the field.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../stack/config';
import { configuredConnections } from '../../stack/connection-set';
import { loadConnectionsFile } from '../../stack/connections-file';

describe('connections file (issue 9)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-conn-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const problemsOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return err.message;
    }
    assert.fail('expected a ConfigError');
  };

  const nl = `
connections:
  - id: woo-nl
    kind: woocommerce
    name: Dutch webshop
    url: https://shop.example.nl/
    consumer_key: { env: WOO_NL_KEY }
    consumer_secret: { file: nl-secret }
    register: { name: Amsterdam Register, outlet: Amsterdam }
    start_date: 2026-01-01
    language: nl
    stock_owner: pos
  - id: bill
    kind: smartbill
    username: office@example.ro
    company_vat: RO123
    token: { env: SMARTBILL_TOKEN }
    shop_connection: woo-nl
    stock_owner: smartbill
    register: 1
    warehouse: Central
`;

  it('reads YAML with secrets from the environment and from files, settings kept', () => {
    write('nl-secret', 'cs_fromfile\n');
    const specs = loadConnectionsFile(write('c.yaml', nl), { WOO_NL_KEY: 'ck_fromenv', SMARTBILL_TOKEN: 'tok' });
    assert.equal(specs.length, 2);
    const [woo, bill] = specs;
    assert.equal(woo!.kind, 'woocommerce');
    assert.equal(woo!.url, 'https://shop.example.nl');
    assert.deepEqual(woo!.kind === 'woocommerce' && woo!.credentials, { consumerKey: 'ck_fromenv', consumerSecret: 'cs_fromfile' });
    assert.deepEqual(woo!.register, { name: 'Amsterdam Register', outlet: 'Amsterdam' });
    assert.equal(woo!.startDate?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.deepEqual(woo!.settings, { language: 'nl', stock_owner: 'pos' });
    assert.equal(bill!.kind, 'smartbill');
    assert.deepEqual(bill!.settings, { warehouse: 'Central', stock_owner: 'smartbill', username: 'office@example.ro', company_vat: 'RO123', shop_connection: 'woo-nl', enabled: true });
    assert.deepEqual(bill!.register, { id: 1 });
  });

  it('reads JSON the same way', () => {
    const file = write('c.json', JSON.stringify({ connections: [{ id: 'sbx', kind: 'woocommerce', sandbox: true, register: 'R1' }] }));
    const [spec] = loadConnectionsFile(file, {});
    assert.equal(spec!.sandbox, true);
  });

  it('names the connection and the field of every problem', () => {
    const text = `
connections:
  - id: woo-be
    kind: woocommerce
    url: ftp://nope
    consumer_key: ck_written_in_the_file
    register: 1
    colour: blue
  - id: Bad_Id
    kind: woocommerce
    sandbox: true
    register: 1
  - id: other
    kind: magento
    register: 1
`;
    const message = problemsOf(() => loadConnectionsFile(write('c.yaml', text), {}));
    assert.match(message, /connection woo-be \(connections\[0\]\)\.url: must be an http\(s\) URL/);
    assert.match(message, /connection woo-be \(connections\[0\]\)\.consumer_key: a secret is never written in the file/);
    assert.match(message, /connection woo-be \(connections\[0\]\).*colour/);
    assert.match(message, /connection Bad_Id \(connections\[1\]\)\.id: must be lowercase/);
    assert.match(message, /connection other \(connections\[2\]\)\.kind: must be one of woocommerce, ecom, smartbill/);
    const missing = problemsOf(() => loadConnectionsFile(write('m.yaml', 'connections:\n  - { id: shop, kind: woocommerce, url: "https://x.example", register: 1 }\n'), {}));
    assert.match(missing, /connection shop \(connections\[0\]\)\.consumer_key: is required for a WooCommerce store/);
    assert.match(missing, /connection shop \(connections\[0\]\)\.consumer_secret: is required for a WooCommerce store/);
  });

  it('a secret named but missing stops the start with its name', () => {
    const message = problemsOf(() => loadConnectionsFile(write('c.yaml', nl), { SMARTBILL_TOKEN: 'tok' }));
    assert.match(message, /connection woo-nl\.consumer_key: the environment variable WOO_NL_KEY is not set or empty/);
    assert.match(message, /connection woo-nl\.consumer_secret: the file .*nl-secret is not set or empty/);
    assert.doesNotMatch(message, /SMARTBILL_TOKEN/);
  });

  it('a key that is not a WooCommerce key, and an id declared twice, are named', () => {
    write('nl-secret', 'cs_x');
    const twice = `${nl}\n  - id: woo-nl\n    kind: ecom\n    url: https://api.webshopapp.com\n    api_key: { env: K }\n    api_secret: { env: K }\n    register: 1\n`;
    const message = problemsOf(() => loadConnectionsFile(write('c.yaml', twice), { WOO_NL_KEY: 'nope', SMARTBILL_TOKEN: 't', K: 'k' }));
    assert.match(message, /connection woo-nl\.consumer_key: the key must start with ck_/);
    assert.match(message, /connection woo-nl \(connections\[2\]\)\.id: declared twice/);
  });

  it('POSSYNC_CONNECTIONS names the file; possync.connections.yaml in the working folder is the default; WOO_* adds one real store', () => {
    write('nl-secret', 'cs_x');
    const file = write('possync.connections.yaml', nl);
    const env = { WOO_NL_KEY: 'ck_a', SMARTBILL_TOKEN: 't' };
    assert.equal(loadConfig({}, dir).connectionsFile, file);
    assert.equal(loadConfig({ POSSYNC_CONNECTIONS: 'elsewhere.yaml' }, dir).connectionsFile, path.join(dir, 'elsewhere.yaml'));
    const withWoo = loadConfig({ WOO_URL: 'https://real.example', WOO_CONSUMER_KEY: 'ck_r', WOO_CONSUMER_SECRET: 'cs_r' }, dir);
    assert.deepEqual(configuredConnections(withWoo, env).map((s) => [s.id, s.sandbox]), [['woo-nl', false], ['bill', false], ['woo-main', false]]);
    const clash = loadConfig({ WOO_URL: 'https://real.example', WOO_CONSUMER_KEY: 'ck_r', WOO_CONSUMER_SECRET: 'cs_r', WOO_CONNECTION_ID: 'woo-nl' }, dir);
    assert.match(problemsOf(() => configuredConnections(clash, env)), /connection woo-nl is declared in .* and by WOO_URL/);
    write('possync.connections.yaml', nl.replace('shop_connection: woo-nl', 'shop_connection: woo-be'));
    assert.match(problemsOf(() => configuredConnections(loadConfig({}, dir), env)), /connection bill\.shop_connection: no woocommerce connection "woo-be" is configured/);
  });

  it('with no file and no WOO_*, the sandbox connection; POSSYNC_DEMO=false is read', () => {
    const config = loadConfig({ POSSYNC_DEMO: 'false' }, dir);
    assert.equal(config.connectionsFile, undefined);
    assert.equal(config.demo, false);
    assert.deepEqual(configuredConnections(config, {}).map((s) => [s.id, s.sandbox]), [['woo-main', true]]);
    assert.equal(loadConfig({}, dir).demo, true);
    assert.throws(() => loadConfig({ POSSYNC_DEMO: 'no' }, dir), /POSSYNC_DEMO must be true or false/);
  });
});
