// Public types of the Lightspeed eCom (C-Series, ex-SEOshop, api.webshopapp.com) sandbox.
import type { FaultRule as WooFaultRule } from '../woocommerce/types';

export type WindowMode = 'fixed' | 'sliding';

export interface RateLimitOptions {
  /** The three windows' limits, in the order of the headers (5 min / hour / day). Default 300/3000/12000. */
  limits?: [number, number, number];
  /** Requests per second per key. Default 20. */
  perSecond?: number;
  /**
   * Real seconds per API second. 1 = the real API; 0.02 makes the 5-minute window last 6 s and the
   * per-second cap apply per 20 ms. Headers and Retry-After stay in API seconds, as the real API
   * sends them; a client configured with the same scale converts them.
   */
  timeScale?: number;
  /**
   * 'fixed' (default): each window's counter returns to its full limit when the window ends, windows
   * aligned on the clock (what the official client's limiter and the documented example show).
   * 'sliding': a request leaves a window once it is older than the window (the "rolling" reading).
   */
  mode?: WindowMode;
}

/**
 * A deterministic fault, as in the WooCommerce sandbox; `path` is matched against the resource path
 * without language and .json, e.g. /^\/products\/\d+$/.
 */
export type FaultRule = Omit<WooFaultRule, 'headers'>;

export interface FaultOptions {
  /** 0..1: 500/502/503, nothing applied. */
  serverErrorRate: number;
  /** 0..1: writes applied, then answered 500 (the answer is lost). */
  lostResponseRate: number;
  rules: FaultRule[];
}

export interface EcomSandboxOptions {
  host?: string;
  port?: number;
  /** 32 characters; default generated. */
  apiKey?: string;
  /** 32 characters; default generated. */
  apiSecret?: string;
  /** Active shop languages; the first is the default. Default ['nl', 'en']. */
  languages?: string[];
  rateLimit?: RateLimitOptions;
  faults?: Partial<FaultOptions>;
  /** Delay between an order change and its webhook delivery. Default 20 ms. */
  webhookDelayMs?: number;
  shopId?: number;
  /** Variant prices and stock levels come as strings (numbers otherwise). Default false. */
  stringNumbers?: boolean;
  /** Keep the shop in this file (npm start's sandbox): loaded at start, written after changes settle and on close. */
  stateFile?: string;
}

export interface WindowUse {
  /** API-seconds since the limiter's origin when this window instance began. */
  start: number;
  used: number;
}

export interface EcomSandboxStats {
  requests: number;
  byRoute: Record<string, number>;
  rateLimited: number;
  faultsInjected: number;
  writes: number;
  /** Fixed mode: how much of each 5-minute window instance was used, oldest first. */
  fiveMinuteWindows: WindowUse[];
  /** The most requests seen in one per-second span. */
  peakPerSecond: number;
}

export interface PlaceOrderLine {
  variantId: number;
  quantity: number;
}

export interface PlaceOrderInput {
  lines: PlaceOrderLine[];
  status?: string;
  paymentStatus?: string;
}

export interface WebhookDelivery {
  webhookId: number;
  event: string;
  orderId: number;
  status: number | 'error';
}
