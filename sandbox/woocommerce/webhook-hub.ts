// Webhook deliveries (WC_Webhook::process / deliver / log_delivery): an event queues one delivery per
// active webhook of its topic, unless one for the same webhook and resource is still pending; after
// the delay the payload is built from the store as it is then, signed and POSTed once (no retry).
// 200-302 resets failure_count; other answers and transport errors count a failure, and a webhook
// whose failure_count is already above 5 is disabled. Faults can lose, duplicate or delay deliveries.
import crypto from 'node:crypto';
import type { EventSink, ResourceEvent } from './events';
import { nowSeconds } from './dates';
import { wpJsonEncode } from './http-io';
import type { WebhookDeliveryRecord, WebhookFaultOptions } from './types';
import { type PostOutcome, type PostRequest, postOnce } from './webhook-http';
import { type WebhookBook, type WebhookRecord, topicParts } from './webhook-model';

const DELIVERY_TIMEOUT_MS = 60_000;
const PING_TIMEOUT_MS = 5_000;
const MAX_FAILURES = 5;
const HASH_SALT = crypto.randomBytes(16).toString('hex');

export interface HubDeps {
  book: WebhookBook;
  /** The REST GET answer for the resource as it is now (an error envelope once it is gone). */
  payload(resource: string, id: number): unknown;
  /** home_url('/') as a background job sees it. */
  source(): string;
  delayMs: number;
  random?: () => number;
}

const NO_FAULTS: Required<WebhookFaultOptions> = { lossRate: 0, duplicateRate: 0, reorderJitterMs: 0 };

export function webhookSignature(body: string, secret: string): string {
  return crypto.createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export class WebhookHub {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Set<AbortController>();
  private running = 0;
  private waiters: Array<() => void> = [];
  private log: WebhookDeliveryRecord[] = [];
  private faults: Required<WebhookFaultOptions> = { ...NO_FAULTS };
  private closed = false;
  /** Bumped by reset(): work started before it leaves no trace. */
  private generation = 0;
  private readonly random: () => number;
  /** Where writes report their events. */
  readonly sink: EventSink = (e) => this.trigger(e);

  constructor(private readonly deps: HubDeps) {
    this.random = deps.random ?? Math.random;
  }

  setFaults(f: WebhookFaultOptions): void {
    const defined = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as WebhookFaultOptions;
    this.faults = { ...this.faults, ...defined };
  }

  resetFaults(): void {
    this.faults = { ...NO_FAULTS };
  }

  deliveries(): WebhookDeliveryRecord[] {
    return this.log.map((r) => ({ ...r }));
  }

  /** Resolves once nothing is queued or on the wire (deliveries queued meanwhile included). */
  flush(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** deliver_ping(): form body webhook_id=N, no X-WC headers, no signature; only 200 counts. */
  ping(w: WebhookRecord): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return this.run(async () => {
      const outcome = await this.post({
        url: w.deliveryUrl,
        headers: [],
        trailingHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: `webhook_id=${w.id}`,
        timeoutMs: PING_TIMEOUT_MS,
      });
      return 'status' in outcome && outcome.status === 200;
    });
  }

  /** Drops what is queued or on the wire and the delivery log. */
  reset(): void {
    this.generation++;
    this.cancelAll();
    this.log = [];
  }

  close(): void {
    this.closed = true;
    this.cancelAll();
  }

  private trigger(e: ResourceEvent): void {
    if (this.closed) return;
    const topic = `${e.resource}.${e.event}`;
    for (const w of this.deps.book.listening(topic)) {
      const key = `${w.id}:${e.id}`;
      if (this.pending.has(key)) continue;
      const jitter = this.faults.reorderJitterMs > 0 ? this.random() * this.faults.reorderJitterMs : 0;
      const timer = setTimeout(() => {
        this.pending.delete(key);
        this.run(() => this.deliver(w.id, e)).then(
          () => undefined,
          () => undefined,
        );
      }, this.deps.delayMs + jitter);
      this.pending.set(key, timer);
    }
  }

  private async deliver(webhookId: number, e: ResourceEvent): Promise<void> {
    const w = this.deps.book.get(webhookId);
    if (!w) return;
    const generation = this.generation;
    const stale = (): boolean => this.closed || generation !== this.generation;
    const entry = { webhookId, topic: w.topic, resourceId: e.id };
    if (this.faults.lossRate > 0 && this.random() < this.faults.lossRate) {
      this.log.push({ ...entry, status: 'lost', at: Date.now() });
      return;
    }
    const request = this.deliveryRequest(w, e);
    const at = Date.now();
    const outcome = await this.post(request);
    if (stale()) return;
    this.logDelivery(w, outcome);
    this.log.push({ ...entry, status: 'status' in outcome ? outcome.status : 'error', at });
    if (this.faults.duplicateRate > 0 && this.random() < this.faults.duplicateRate) {
      const again = Date.now();
      const second = await this.post(request);
      if (stale()) return;
      this.log.push({ ...entry, status: 'status' in second ? second.status : 'error', at: again, duplicate: true });
    }
  }

  private deliveryRequest(w: WebhookRecord, e: ResourceEvent): Omit<PostRequest, 'signal'> {
    const { resource, event } = topicParts(w.topic);
    // Deleted resources are sent as {"id": N}; everything else as the REST GET answer of now.
    const body = wpJsonEncode(e.event === 'deleted' ? { id: e.id } : this.deps.payload(e.resource, e.id)).trim();
    const deliveryId = crypto.createHash('md5').update(`${HASH_SALT}${w.id}${Math.floor(Date.now() / 1000)}`).digest('hex');
    return {
      url: w.deliveryUrl,
      headers: [
        ['Content-Type', 'application/json'],
        ['X-WC-Webhook-Source', this.deps.source()],
        ['X-WC-Webhook-Topic', w.topic],
        ['X-WC-Webhook-Resource', resource],
        ['X-WC-Webhook-Event', event],
        ['X-WC-Webhook-Signature', webhookSignature(body, w.secret)],
        ['X-WC-Webhook-ID', String(w.id)],
        ['X-WC-Webhook-Delivery-ID', deliveryId],
      ],
      body,
      timeoutMs: DELIVERY_TIMEOUT_MS,
    };
  }

  /** log_delivery(): the webhook is saved after every delivery (date_modified moves). */
  private logDelivery(w: WebhookRecord, outcome: PostOutcome): void {
    const ok = 'status' in outcome && outcome.status >= 200 && outcome.status < 303;
    if (ok) w.failureCount = 0;
    else if (w.failureCount > MAX_FAILURES) w.status = 'disabled';
    else w.failureCount++;
    w.modified = nowSeconds();
  }

  private async post(req: Omit<PostRequest, 'signal'>): Promise<PostOutcome> {
    const controller = new AbortController();
    this.inflight.add(controller);
    try {
      return await postOnce({ ...req, signal: controller.signal });
    } finally {
      this.inflight.delete(controller);
    }
  }

  /** Counts the job as running until it settles, then wakes flush() callers when all is idle. */
  private async run<T>(job: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.wakeIfIdle();
    }
  }

  private idle(): boolean {
    return this.pending.size === 0 && this.running === 0;
  }

  private wakeIfIdle(): void {
    if (!this.idle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private cancelAll(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const c of this.inflight) c.abort();
    this.wakeIfIdle();
    if (this.closed) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }
}
