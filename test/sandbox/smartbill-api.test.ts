import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { startSmartBillSandbox, type SmartBillSandbox } from '../../sandbox/smartbill';

describe('the SmartBill sandbox answers as SmartBill Cloud\'s API (apis.md §3)', () => {
  let sb: SmartBillSandbox;
  let api: AxiosInstance;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  before(async () => {
    sb = await startSmartBillSandbox({ email: 'shop@example.ro', token: 'tok123', cif: 'RO999' });
    api = axios.create({ baseURL: sb.apiUrl, auth: { username: sb.email, password: sb.token }, validateStatus: () => true });
  });
  after(() => sb.close());
  beforeEach(() => pause(1100)); // a fresh one-second rate window per case

  it('refuses a wrong login with an errorText', async () => {
    const res = await axios.get(`${sb.apiUrl}/company/warehouses`, { params: { cif: 'RO999' }, auth: { username: sb.email, password: 'nope' }, validateStatus: () => true });
    assert.equal(res.status, 401);
    assert.match(res.data.errorText, /Autentificare/);
  });

  it('lists the warehouses of the company, with or without the RO prefix', async () => {
    for (const cif of ['RO999', '999']) {
      const res = await api.get('/company/warehouses', { params: { cif } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.data, { warehouses: ['Depozit', 'Magazin'], errorText: '' });
    }
  });

  it('answers a business error under HTTP 200 with an errorText', async () => {
    const res = await api.get('/company/warehouses', { params: { cif: 'RO1' } });
    assert.equal(res.status, 200);
    assert.match(res.data.errorText, /RO1/);
  });

  it('answers /stocks as of a date, per warehouse, with the filters the plugin sends', async () => {
    sb.setStock([{ warehouse: 'Depozit', productCode: 'P1', productName: 'Produs 1', measuringUnit: 'buc', quantity: 4 }], new Date('2026-01-10T10:00:00Z'));
    sb.setStock([{ warehouse: 'Depozit', productCode: 'P1', productName: 'Produs 1', measuringUnit: 'buc', quantity: 9 }], new Date('2026-01-12T10:00:00Z'));
    sb.setStock([{ warehouse: 'Magazin', productCode: 'P2', productName: 'Produs 2', measuringUnit: 'kg', quantity: 1.5 }], new Date('2026-01-10T10:00:00Z'));
    const at11 = await api.get('/stocks', { params: { cif: 'RO999', date: '2026-01-11', warehouseName: '', productName: '', productCode: '' } });
    assert.equal(at11.status, 200);
    assert.deepEqual(at11.data, {
      errorText: '',
      list: [
        { warehouse: { warehouseName: 'Depozit', warehouseType: 'en gros' }, products: [{ productName: 'Produs 1', productCode: 'P1', quantity: 4, measuringUnit: 'buc' }] },
        { warehouse: { warehouseName: 'Magazin', warehouseType: 'en detail' }, products: [{ productName: 'Produs 2', productCode: 'P2', quantity: 1.5, measuringUnit: 'kg' }] },
      ],
    });
    await pause(1100);
    const later = await api.get('/stocks', { params: { cif: 'RO999', date: '2026-01-12', warehouseName: 'Depozit' } });
    assert.deepEqual(later.data.list.map((w: any) => w.products[0].quantity), [9]);
    const badDate = await api.get('/stocks', { params: { cif: 'RO999', date: '12.01.2026' } });
    assert.equal(badDate.status, 400);
    assert.match(badDate.data.errorText, /date/);
  });

  it('names the warehouse case-sensitively, and gives the flat stock of one for the manual pull', async () => {
    const lower = await api.get('/stocks', { params: { cif: 'RO999', date: '2026-01-12', warehouseName: 'depozit' } });
    assert.equal(lower.status, 200);
    assert.match(lower.data.errorText, /depozit nu exista/);
    const flat = await api.get('/stocks/ecom/', { params: { cif: 'RO999', warehouseName: 'Depozit' } });
    assert.deepEqual(flat.data.products, [{ productName: 'Produs 1', productCode: 'P1', measuringUnit: 'buc', quantity: 9 }]);
  });

  it('allows about 3 calls a second, then 429 with Retry-After', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.get('/company/warehouses', { params: { cif: 'RO999' } })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 429, 429]);
    assert.equal(answers.find((a) => a.status === 429)!.headers['retry-after'], '1');
    assert.equal(sb.stats().rateLimited, 2);
  });

  it('can fail the next calls on purpose', async () => {
    sb.failNext(1, { status: 503, errorText: 'Serviciu indisponibil' });
    const res = await api.get('/company/warehouses', { params: { cif: 'RO999' } });
    assert.deepEqual([res.status, res.data.errorText], [503, 'Serviciu indisponibil']);
  });
});

describe('SmartBill\'s calls to a stock receiver', () => {
  it('sends absolute levels with the bearer token, or without the header (Apache + CGI)', async () => {
    const received: { auth?: string; body: any }[] = [];
    const receiver = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => { raw += c; });
      req.on('end', () => { received.push({ auth: req.headers.authorization, body: JSON.parse(raw) }); res.end('null'); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/stocks`;
    const sb = await startSmartBillSandbox({ token: 'abc' });
    try {
      const products = [{ productCode: 'A', productName: 'a' }, { productCode: 'B', productName: 'b' }];
      const run = await sb.runMovements({ url, token: sb.token }, { warehouse: 'Depozit', products, count: 7, itemsPerCall: 3, seed: 4 });
      assert.deepEqual([run.calls, run.items, run.statuses], [3, 7, [200, 200, 200]]);
      assert.ok(received.every((r) => r.auth === 'Bearer abc' && Array.isArray(r.body.products)));
      for (const [code, level] of run.lastLevels) assert.equal(sb.level('Depozit', code), level);
      const last = received.flatMap((r) => r.body.products).reverse();
      for (const [code, level] of run.lastLevels) assert.equal(last.find((i: any) => i.productCode === code).quantity, level);

      received.length = 0;
      await sb.runMovements({ url, token: sb.token, stripAuthorization: true, shape: 'array' }, { warehouse: 'Depozit', products, count: 1 });
      assert.equal(received[0]!.auth, undefined);
      assert.ok(Array.isArray(received[0]!.body));
    } finally {
      await sb.close();
      receiver.close();
    }
  });
});
