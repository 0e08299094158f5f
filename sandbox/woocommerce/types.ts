// Public types of the WooCommerce REST v3 sandbox.

export interface LatencyOptions {
  perRequestMs?: number;
  perObjectMs?: number;
  jitterMs?: number;
  /** Added per image the request makes the store download (every image sent without an id). */
  perImageMs?: number;
}

export interface WooSandboxOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default generated: 'ck_' + 40 hex. */
  consumerKey?: string;
  /** Default generated: 'cs_' + 40 hex. */
  consumerSecret?: string;
  /** The key has only read permission. */
  readOnlyKey?: boolean;
  /**
   * Behave like a store where is_ssl() is true for requests that carry keys (Basic auth or
   * consumer_key/consumer_secret in the query), as the recording store did: those are accepted and
   * their links say https://. OAuth requests are still checked against the http:// base URI.
   */
  assumeHttps?: boolean;
  /** Default all 0. Service time = perRequestMs + perObjectMs × objects written + perImageMs × images downloaded + random jitter. */
  latency?: LatencyOptions;
  /** Default 8: requests served at once (like PHP-FPM workers); the rest wait in FIFO order. */
  concurrency?: number;
  faults?: Partial<FaultOptions>;
  /** Site-local time offset used by non-gmt dates. Default 0. */
  timezoneOffsetMinutes?: number;
  /** Delay between a write and its webhook delivery (Action Scheduler's async run). Default 50 ms. */
  webhookDelayMs?: number;
  webhookFaults?: WebhookFaultOptions;
  /**
   * Keep the store in this JSON file: loaded at start when it exists, written once writes pause
   * (never per request) and on close. Default none: the store lives in memory only (tests, benchmarks).
   */
  stateFile?: string;
}

export interface WebhookFaultOptions {
  /** 0..1: the delivery is silently not sent (failure_count untouched). */
  lossRate?: number;
  /** 0..1: the delivery is sent twice (same body, signature and delivery id). */
  duplicateRate?: number;
  /** Random extra delay of 0..N ms per delivery, so deliveries arrive out of order. */
  reorderJitterMs?: number;
}

export interface WebhookDeliveryRecord {
  webhookId: number;
  topic: string;
  resourceId: number;
  /** The receiver's HTTP status, 'error' for a transport failure, 'lost' when a fault dropped it. */
  status: number | 'lost' | 'error';
  /** Epoch ms the request was sent (or dropped). */
  at: number;
  /** The second copy sent by a duplicate fault. */
  duplicate?: boolean;
}

export interface SeedOrdersOptions {
  count: number;
  /** Orders are created between createdAfter and createdBefore. */
  createdBefore: Date;
  /** Default: a year before createdBefore. */
  createdAfter?: Date;
  /** Lines per order, inclusive. Default [1, 5] (about 3). */
  linesPerOrder?: [number, number];
  /** Relative weights. Default mostly completed and processing, a few on-hold, pending, cancelled, refunded, failed. */
  statusWeights?: Record<string, number>;
  /** Products the POS does not know: created as real shop products, and sold in some orders. */
  missingSkus?: Array<{ sku: string; name: string; price: string }>;
  /** 0..1: orders with one line whose product is deleted afterwards (its sku reads null). */
  deletedProductRate?: number;
  /** Same seed, same store state: same orders. Default 1. */
  seed?: number;
}

export interface SeededOrders {
  ids: number[];
  /** Units the new orders hold out of stock, per SKU (their lines' `_reduced_stock`): what an import deducts. */
  stockHeld: Record<string, number>;
}

export interface FaultOptions {
  /** 0..1: answer 500/502/503 without applying the request. */
  serverErrorRate: number;
  /** 0..1: answer 429 with Retry-After without applying the request. */
  rateLimitRate: number;
  /** Default 1. */
  retryAfterSeconds: number;
  /** 0..1: never answer; the socket is held until the client gives up or the sandbox closes. */
  hangRate: number;
  /** 0..1, writes only: apply the request, then answer 500. */
  lostResponseRate: number;
  /** Deterministic faults, checked before the random ones. */
  rules: FaultRule[];
  /** The random faults follow this seed: the same decisions, in request order, on every run. Default Math.random. */
  seed?: number;
  /**
   * Product and variation creates spend this long between WooCommerce's SKU check and the insert
   * (a real store downloading the product's images), invisible to lookups meanwhile. Two creates of
   * one SKU that overlap both pass the check and both insert, as on a real store; a client whose
   * timeout is shorter sees a lost answer while the product still lands. Default 0.
   */
  slowCreateMs: number;
}

export interface FaultRule {
  /** e.g. 'POST'; any method when omitted. */
  method?: string;
  /** Matched against the path after /wp-json/wc/v3, e.g. /^\/products\/\d+\/variations\/batch$/. */
  path: string | RegExp;
  status: number;
  /** Default: a WP error envelope for that status. */
  body?: unknown;
  /** How many matching requests get the fault. Default Infinity. */
  times?: number;
  /** Apply the request, then answer with the fault (a lost response). */
  applyFirst?: boolean;
  retryAfterSeconds?: number;
  /** Extra response headers, e.g. X-WP-Total for a 200 list answer (see emptyListFault). */
  headers?: Record<string, string>;
}

export interface SandboxStats {
  requests: number;
  byMethod: Record<string, number>;
  /** Keys like 'POST /products/batch', 'PUT /products/{id}', 'GET /products/{product_id}/variations'. */
  byRoute: Record<string, number>;
  faultsInjected: number;
  /** Applied writes per object id (product or variation), batch items included. */
  writesByProductId: Record<number, number>;
  /** Items of the batch requests that were processed. */
  batchItems: number;
  /** Images downloaded (sideloaded as a new attachment, or failed), one per image sent without an id. */
  imageDownloads: number;
  /** Writes that arrived while another write of the same product was in flight (two writers at once). */
  overlappingWrites: number;
  overlappingWritesByProductId: Record<number, number>;
}

/** Read-only view for tests; every getter returns deep copies in the REST "edit" shape. */
export interface SandboxState {
  /** Products (not variations), trashed ones included, by ascending id. */
  products(): any[];
  product(id: number): any | undefined;
  /** The stock quantity of a product or variation, without rendering it (for pollers that read often). */
  stockOf(id: number): number | null | undefined;
  variations(productId: number): any[];
  variation(productId: number, id: number): any | undefined;
  /** The product or variation holding this SKU (trash excluded); a variation comes in the variation shape. */
  findBySku(sku: string): any | undefined;
  /** A merchant editing in wp-admin: REST-style partial write without HTTP or stats. Throws on invalid input. */
  editProduct(id: number, patch: Record<string, unknown>): void;
  /** Ids of the media library's attachments (every downloaded image is one), ascending. */
  attachments(): number[];
  /** A merchant deleting an attachment from the media library; products keep the dangling id, as in WordPress. */
  deleteAttachment(id: number): void;
  editVariation(productId: number, id: number, patch: Record<string, unknown>): void;
  /** Every order (trashed ones included) by ascending id, in the REST "view" shape. */
  orders(): any[];
  order(id: number): any | undefined;
  /**
   * A customer checkout: the POST /orders body, created_via "checkout"; stock is taken when the
   * order is paid (set_paid) or reaches processing/completed/on-hold; fires order.created (and
   * order.updated, as WooCommerce saves twice). Returns the order. Throws on invalid input.
   */
  createOrder(body: Record<string, unknown>): any;
  /** A merchant editing the order in wp-admin (PUT /orders/{id} body); fires order.updated. Returns the order. */
  updateOrder(id: number, patch: Record<string, unknown>): any;
  /** Deletes a product (with its variations) for good, as wp-admin does; order lines then show sku null. */
  deleteProduct(id: number): void;
  /** Deletes an order for good, as DELETE /orders/{id}?force=true does. */
  deleteOrder(id: number): void;
  /** Historic orders for tests and benchmarks: no stock change, no webhook. */
  seedOrders(opts: SeedOrdersOptions): SeededOrders;
}

export interface WooSandbox {
  /** 'http://127.0.0.1:PORT', the store home; the API lives at url + '/wp-json/wc/v3'. */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** The store was loaded from stateFile with products or orders in it (false: it started empty, new or reset). */
  restored: boolean;
  /** Writes the state file now, if there is one and the store changed. */
  saveState(): void;
  /** Replaces the given keys; setFaults({}) keeps everything. */
  setFaults(f: Partial<FaultOptions>): void;
  /** Clears request faults and webhook faults. */
  resetFaults(): void;
  setLatency(l: LatencyOptions): void;
  setConcurrency(n: number): void;
  stats(): SandboxStats;
  resetStats(): void;
  /** Empties the store (ids restart), the stats, and the webhook queue and delivery log. */
  reset(): void;
  state: SandboxState;
  /** Same as state.seedOrders. */
  seedOrders(opts: SeedOrdersOptions): SeededOrders;
  /** Replaces the given keys; resetFaults() clears them too. */
  setWebhookFaults(f: WebhookFaultOptions): void;
  /** Deliveries made so far (pings excluded), oldest first. */
  webhookDeliveries(): WebhookDeliveryRecord[];
  /** Resolves when no webhook delivery or ping is queued or on the wire. */
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}
