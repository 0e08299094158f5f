export interface SmartBillWarehouse {
  name: string;
  /** `en gros` is the type seen in real answers; others are unconfirmed. */
  type?: string;
}

export interface SmartBillSandboxOptions {
  port?: number;
  host?: string;
  /** The account's email and API token (Basic auth `email:token`). */
  email?: string;
  token?: string;
  /** The company's VAT code; also accepted with the `RO` prefix. */
  cif?: string;
  warehouses?: SmartBillWarehouse[];
  /** Calls per second per account before 429 (SmartBill: about 3). */
  callsPerSecond?: number;
  latencyMs?: number;
}

export interface SmartBillStockLine {
  warehouse: string;
  productCode: string;
  productName: string;
  measuringUnit: string;
  quantity: number;
}

export interface SmartBillSandboxStats {
  calls: number;
  rateLimited: number;
  byPath: Record<string, number>;
}

/** A call as SmartBill makes it to a shop's stock receiver. */
export interface StockCallTarget {
  url: string;
  token: string;
  /** What Apache + CGI does without `SetEnvIf Authorization`: the header never arrives. */
  stripAuthorization?: boolean;
  /** `{"products":[…]}` (default) or a bare array. */
  shape?: 'object' | 'array';
}

export interface MovementRunOptions {
  warehouse: string;
  products: { productCode: string; productName: string; measuringUnit?: string }[];
  /** Movements (stock changes of one product) to make. */
  count: number;
  /** At most this many items per call (SmartBill sends the lines of one document together). */
  itemsPerCall?: number;
  /** Calls in flight at once. */
  concurrency?: number;
  seed?: number;
}

export interface MovementRunResult {
  calls: number;
  items: number;
  /** HTTP status per call, in the order sent. */
  statuses: number[];
  /** The level SmartBill last sent per product code (or name). */
  lastLevels: Map<string, number>;
  /** Receiver answer times in ms, one per call. */
  latenciesMs: number[];
}

export interface SmartBillSandbox {
  /** The API base, as SmartBill's `https://ws.smartbill.ro/SBORO/api`. */
  apiUrl: string;
  email: string;
  token: string;
  cif: string;
  /** Sets levels now (as a receipt or inventory in SmartBill would). */
  setStock(lines: SmartBillStockLine[], at?: Date): void;
  /** The current level, or undefined. */
  level(warehouse: string, productCodeOrName: string): number | undefined;
  /** Makes movements in SmartBill and calls the receiver for each, as SmartBill does. */
  runMovements(target: StockCallTarget, opts: MovementRunOptions): Promise<MovementRunResult>;
  /** The next `count` API calls answer this (e.g. 500, or 200 with an errorText). */
  failNext(count: number, answer: { status: number; errorText: string }): void;
  stats(): SmartBillSandboxStats;
  close(): Promise<void>;
}
