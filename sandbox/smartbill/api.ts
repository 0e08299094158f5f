import type { IncomingMessage } from 'node:http';
import { CallsPerSecond } from './rate-limit';
import type { StockBook } from './stock-book';
import type { SmartBillSandboxStats, SmartBillWarehouse } from './types';

export interface ApiAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface ApiAccount {
  email: string;
  token: string;
  cif: string;
  warehouses: SmartBillWarehouse[];
}

const BASE = '/SBORO/api';

/**
 * SmartBill Cloud's REST API as apis.md §3 describes it: Basic `email:token`, `cif` on every call,
 * errors as `{"errorText": …}` — business errors under HTTP 200 too — and about 3 calls a second.
 * Where the real answer is unconfirmed (the status of a bad login or a throttled call), the sandbox
 * answers the most likely form and says so here: 401 with an errorText, 429 with Retry-After.
 */
export class SmartBillApi {
  private readonly limiter: CallsPerSecond;
  private readonly forced: { status: number; errorText: string }[] = [];
  readonly counters: SmartBillSandboxStats = { calls: 0, rateLimited: 0, byPath: {} };

  constructor(private readonly account: ApiAccount, private readonly book: StockBook, callsPerSecond: number) {
    this.limiter = new CallsPerSecond(callsPerSecond);
  }

  failNext(count: number, answer: { status: number; errorText: string }): void {
    for (let i = 0; i < count; i += 1) this.forced.push(answer);
  }

  answer(req: IncomingMessage): ApiAnswer {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname.replace(/\/+$/, '');
    this.counters.calls += 1;
    this.counters.byPath[path] = (this.counters.byPath[path] ?? 0) + 1;
    if (!path.startsWith(BASE)) return { status: 404, body: { errorText: `Resursa ${path} nu exista.` } };
    if (!this.authorized(req.headers.authorization)) {
      return { status: 401, body: { errorText: 'Autentificare esuata. Verifica emailul si tokenul API (Contul meu > Integrari > API).' } };
    }
    if (!this.limiter.take()) {
      this.counters.rateLimited += 1;
      return { status: 429, headers: { 'Retry-After': '1' }, body: { errorText: 'Ai depasit numarul maxim de apeluri pe secunda. Incearca din nou.' } };
    }
    const forced = this.forced.shift();
    if (forced) return { status: forced.status, body: { errorText: forced.errorText } };
    if (req.method !== 'GET') return { status: 405, body: { errorText: `Metoda ${req.method} nu este permisa.` } };
    const cif = url.searchParams.get('cif')?.trim() ?? '';
    if (!cif) return { status: 400, body: { errorText: 'Parametrul cif este obligatoriu.' } };
    if (cif.replace(/^RO/i, '') !== this.account.cif.replace(/^RO/i, '')) {
      // A business error: SmartBill answers it under HTTP 200.
      return { status: 200, body: { errorText: `Firma cu CIF-ul ${cif} nu este asociata contului.`, list: [] } };
    }
    switch (path.slice(BASE.length)) {
      case '/company/warehouses':
        return { status: 200, body: { warehouses: this.account.warehouses.map((w) => w.name), errorText: '' } };
      case '/stocks':
        return this.stocks(url.searchParams);
      case '/stocks/ecom':
        return this.flatStocks(url.searchParams);
      default:
        return { status: 404, body: { errorText: `Resursa ${path} nu exista.` } };
    }
  }

  private stocks(q: URLSearchParams): ApiAnswer {
    const date = q.get('date') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      return { status: 400, body: { errorText: 'Parametrul date este obligatoriu, in formatul yyyy-MM-dd.' } };
    }
    const warehouseName = q.get('warehouseName') || undefined;
    const known = this.account.warehouses;
    if (warehouseName && !known.some((w) => w.name === warehouseName)) {
      return { status: 200, body: { errorText: `Gestiunea ${warehouseName} nu exista.`, list: [] } };
    }
    const asOf = Date.parse(`${date}T23:59:59.999Z`);
    const lines = this.book.lines(asOf, { warehouse: warehouseName, productCode: q.get('productCode') || undefined, productName: q.get('productName') || undefined });
    const list = known
      .filter((w) => !warehouseName || w.name === warehouseName)
      .map((w) => ({
        warehouse: { warehouseName: w.name, warehouseType: w.type ?? 'en gros' },
        products: lines.filter((l) => l.warehouse === w.name).map((l) => ({ productName: l.productName, productCode: l.productCode, quantity: l.quantity, measuringUnit: l.measuringUnit })),
      }))
      .filter((entry) => entry.products.length > 0);
    return { status: 200, body: { errorText: '', list } };
  }

  /** The flat stock of one warehouse that the plugin's manual pull reads (`/stocks/ecom`). */
  private flatStocks(q: URLSearchParams): ApiAnswer {
    const warehouseName = q.get('warehouseName') ?? '';
    if (!this.account.warehouses.some((w) => w.name === warehouseName)) {
      return { status: 200, body: { errorText: `Gestiunea ${warehouseName} nu exista.`, products: [] } };
    }
    const products = this.book.lines(Date.now(), { warehouse: warehouseName })
      .map((l) => ({ productName: l.productName, productCode: l.productCode, measuringUnit: l.measuringUnit, quantity: l.quantity }));
    return { status: 200, body: { errorText: '', products } };
  }

  private authorized(header: string | undefined): boolean {
    const m = /^Basic\s+(.+)$/i.exec(header ?? '');
    if (!m?.[1]) return false;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    return decoded === `${this.account.email}:${this.account.token}`;
  }
}
