// Delivers order webhooks: POST {"order":{…}} (the GET shape with the products embedded) to each
// active orders webhook whose action matches, with the shop headers the documentation names.
import type { EcomStore } from './model';
import type { WebhookDelivery } from './types';

export interface WebhookSenderConfig {
  store: EcomStore;
  shopId: number;
  delayMs: number;
  payload: (orderId: number, lang: string) => unknown;
}

export class WebhookSender {
  private log: WebhookDelivery[] = [];
  private pending = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly config: WebhookSenderConfig) {}

  orderEvent(action: string, orderId: number): void {
    for (const w of this.config.store.webhooks.values()) {
      if (!w.isActive || w.itemGroup !== 'orders' || (w.itemAction !== '*' && w.itemAction !== action)) continue;
      // A '*' hook hears created/updated/deleted; paid and shipped only go to hooks that ask for them.
      if (w.itemAction === '*' && (action === 'paid' || action === 'shipped')) continue;
      const body = JSON.stringify(this.config.payload(orderId, w.language));
      const headers = { 'Content-Type': 'application/json', 'X-Shop-Id': String(this.config.shopId), 'X-Format': w.format, 'X-Language': w.language, 'X-Group-Id': w.itemGroup, 'X-Event': action };
      const p = this.send(w.id, w.address, action, orderId, body, headers);
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }
  }

  private async send(webhookId: number, address: string, event: string, orderId: number, body: string, headers: Record<string, string>): Promise<void> {
    await new Promise((r) => setTimeout(r, this.config.delayMs));
    if (this.closed) return;
    let status: number | 'error';
    try {
      const res = await fetch(address, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 'error';
    }
    this.log.push({ webhookId, event, orderId, status });
  }

  deliveries(): WebhookDelivery[] {
    return this.log.map((d) => ({ ...d }));
  }

  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  reset(): void {
    this.log = [];
  }

  close(): void {
    this.closed = true;
  }
}
