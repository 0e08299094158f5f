import type { EcomConnection } from '../activities/ecom/registry';
/** One connection as configured (file, WOO_* shortcut, or the sandbox default), secrets resolved. Never stored whole. */
export type ConnectionKind = 'woocommerce' | 'ecom' | 'smartbill';

export interface RegisterRef {
  id?: number;
  name?: string;
  /** The outlet a register named here is created in when it does not exist yet (default: the register's name). */
  outlet?: string;
}

interface SpecBase {
  id: string;
  kind: ConnectionKind;
  name: string;
  /** The embedded sandbox store of its kind: the only place demo data may go (issue 8 point 2). */
  sandbox: boolean;
  url?: string;
  register: RegisterRef;
  startDate?: Date;
  /** Language, warehouse, stock owner, outlets, ...: stored with the connection. */
  settings: Record<string, unknown>;
}

export interface WooSpec extends SpecBase {
  kind: 'woocommerce';
  credentials?: { consumerKey: string; consumerSecret: string };
  webhookSecret?: string;
}

export interface OtherSpec extends SpecBase {
  kind: 'ecom' | 'smartbill';
  secrets: Record<string, string>;
}

export type ConnectionSpec = WooSpec | OtherSpec;

/** The channels this build can run; the others are validated and stored, and said to be not available yet. */
export const RUNNABLE_KINDS: readonly ConnectionKind[] = ['woocommerce', 'ecom', 'smartbill'];

/**
 * A SmartBill connection in the shape its channel's registry takes (activities/smartbill/registry.ts
 * on main: `stack.smartbill.set(smartBillConnectionOf(spec))` at start and reload).
 */
export function smartBillConnectionOf(spec: OtherSpec) {
  const s = spec.settings;
  return {
    id: spec.id,
    token: spec.secrets.token ?? '',
    username: String(s.username),
    companyVat: String(s.company_vat),
    apiUrl: spec.url ?? 'https://ws.smartbill.ro/SBORO/api',
    warehouse: typeof s.warehouse === 'string' ? s.warehouse : undefined,
    shopConnectionId: String(s.shop_connection),
    stockOwner: s.stock_owner === 'smartbill' ? ('smartbill' as const) : ('pos' as const),
    enabled: s.enabled !== false,
  };
}

/** An eCom connection in the shape its registry takes (activities/ecom/registry.ts), at start and reload. */
export function ecomConnectionOf(spec: OtherSpec): EcomConnection {
  return {
    id: spec.id,
    baseUrl: spec.url ?? '',
    apiKey: spec.secrets.api_key ?? '',
    apiSecret: spec.secrets.api_secret ?? '',
    language: typeof spec.settings.language === 'string' ? spec.settings.language : 'nl',
    ...(spec.sandbox ? { budget: { timeScale: ecomSandboxTimeScale(spec) } } : {}),
  };
}

/** Real seconds per API second of an embedded eCom sandbox: 1 (the real windows) unless `settings.time_scale` says otherwise. */
export function ecomSandboxTimeScale(spec: ConnectionSpec): number {
  const scale = Number(spec.settings.time_scale);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}
