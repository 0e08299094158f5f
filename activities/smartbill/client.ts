import axios, { type AxiosInstance } from 'axios';
import { ApplicationFailure } from '@temporalio/common';

export interface SmartBillStockEntry {
  productName: string;
  productCode: string;
  quantity: number;
  measuringUnit: string;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);
/** SmartBill allows about 3 calls a second per account: calls are spaced this far apart, per account. */
const CALL_SPACING_MS = 350;
const lastCallAt = new Map<string, number>();

/**
 * SmartBill Cloud's REST API (apis.md §3): Basic `email:token`, `cif` on every call, errors as
 * `errorText` — business errors under HTTP 200 too. Failures come out as activity failures:
 * throttling and outages retryable (with Retry-After), refused logins and business errors not.
 */
export class SmartBillClient {
  private readonly http: AxiosInstance;

  constructor(private readonly c: { apiUrl: string; username: string; token: string; companyVat: string; timeoutMs?: number }) {
    this.http = axios.create({
      baseURL: c.apiUrl.replace(/\/+$/, ''),
      auth: { username: c.username, password: c.token },
      headers: { accept: 'application/json' },
      timeout: c.timeoutMs ?? 30_000,
      validateStatus: () => true,
    });
  }

  async warehouses(): Promise<string[]> {
    const body = await this.get('/company/warehouses', {});
    return Array.isArray(body.warehouses) ? body.warehouses.filter((w: unknown): w is string => typeof w === 'string') : [];
  }

  /** The stock of one warehouse today (`GET /stocks`, the documented endpoint; the warehouse name is case-sensitive there). */
  async stocks(warehouseName: string, date = new Date()): Promise<SmartBillStockEntry[]> {
    const body = await this.get('/stocks', { date: date.toISOString().slice(0, 10), warehouseName, productName: '', productCode: '' });
    const list: any[] = Array.isArray(body.list) ? body.list : [];
    return list
      .filter((w) => w?.warehouse?.warehouseName === warehouseName)
      .flatMap((w) => (Array.isArray(w.products) ? w.products : []))
      .map((p: any) => ({
        productName: String(p.productName ?? ''), productCode: String(p.productCode ?? '').trim(),
        quantity: Number(p.quantity), measuringUnit: String(p.measuringUnit ?? ''),
      }));
  }

  private async get(path: string, params: Record<string, string>): Promise<any> {
    await this.throttle();
    let res;
    try {
      res = await this.http.get(path, { params: { cif: this.c.companyVat, ...params } });
    } catch (err) {
      throw ApplicationFailure.create({ message: `SmartBill ${path}: no answer (${(err as Error).message})`, type: 'SmartBillUnreachable' });
    }
    const errorText = typeof res.data?.errorText === 'string' ? res.data.errorText : '';
    if (res.status === 401 || res.status === 403) {
      throw ApplicationFailure.create({
        message: `SmartBill refused the login (HTTP ${res.status}${errorText ? `: ${errorText}` : ''}): check the account email and the API token (SmartBill Cloud > Contul meu > Integrari > API)`,
        type: 'SmartBillAuth', nonRetryable: true,
      });
    }
    if (res.status !== 200) {
      const retryAfter = Number(res.headers['retry-after']);
      throw ApplicationFailure.create({
        message: `SmartBill ${path} answered HTTP ${res.status}${errorText ? `: ${errorText}` : ''}`,
        type: `SmartBillHttp${res.status}`,
        nonRetryable: !RETRYABLE.has(res.status),
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { nextRetryDelay: retryAfter * 1000 } : {}),
      });
    }
    if (errorText) throw ApplicationFailure.create({ message: `SmartBill ${path}: ${errorText}`, type: 'SmartBillError', nonRetryable: true });
    return res.data;
  }

  private async throttle(): Promise<void> {
    const key = this.c.username.toLowerCase();
    const now = Date.now();
    const at = Math.max(now, (lastCallAt.get(key) ?? 0) + CALL_SPACING_MS);
    lastCallAt.set(key, at);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}
