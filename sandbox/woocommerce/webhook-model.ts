// Webhooks (WC_Webhook): topics and the hooks they listen to, the stored record, the REST
// representation (no secret, no api_version, as recorded) and the book holding them (own ids from 1).
import { formatNullableDate, formatWpDate } from './dates';
import { type Site, restUrl, WC_NAMESPACE } from './site';

export type WebhookStatus = 'active' | 'paused' | 'disabled';

export interface WebhookRecord {
  id: number;
  name: string;
  status: WebhookStatus;
  topic: string;
  deliveryUrl: string;
  /** Write-only: signs deliveries. */
  secret: string;
  apiVersion: string;
  created: number;
  modified: number | null;
  failureCount: number;
}

/** WC_Webhook::get_hooks() per topic. */
const TOPIC_HOOKS: Record<string, string[]> = {
  'coupon.created': ['woocommerce_process_shop_coupon_meta', 'woocommerce_new_coupon'],
  'coupon.updated': ['woocommerce_process_shop_coupon_meta', 'woocommerce_update_coupon'],
  'coupon.deleted': ['wp_trash_post'],
  'coupon.restored': ['untrashed_post'],
  'customer.created': ['user_register', 'woocommerce_created_customer', 'woocommerce_new_customer'],
  'customer.updated': ['profile_update', 'woocommerce_update_customer'],
  'customer.deleted': ['delete_user'],
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_update_order', 'woocommerce_order_refunded'],
  'order.deleted': ['wp_trash_post'],
  'order.restored': ['untrashed_post'],
  'product.created': ['woocommerce_process_product_meta', 'woocommerce_new_product', 'woocommerce_new_product_variation'],
  'product.updated': ['woocommerce_process_product_meta', 'woocommerce_update_product', 'woocommerce_update_product_variation'],
  'product.deleted': ['wp_trash_post'],
  'product.restored': ['untrashed_post'],
};

/** wc_is_webhook_valid_topic: a known resource.event, or action.<hook>. */
export function isValidTopic(topic: string): boolean {
  if (/^action\.[^\s]+$/.test(topic)) return true;
  return topic in TOPIC_HOOKS;
}

export function topicParts(topic: string): { resource: string; event: string; hooks: string[] } {
  const dot = topic.indexOf('.');
  const resource = dot === -1 ? '' : topic.slice(0, dot);
  const event = dot === -1 ? '' : topic.slice(dot + 1);
  const hooks = resource === 'action' ? [event] : (TOPIC_HOOKS[topic] ?? []);
  return { resource, event, hooks };
}

/** wc_is_valid_url: an absolute http(s) URL. */
export function isValidDeliveryUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

export function renderWebhook(site: Site, w: WebhookRecord): Record<string, unknown> {
  const { resource, event, hooks } = topicParts(w.topic);
  const tz = site.tzOffsetMinutes;
  return {
    id: w.id,
    name: w.name,
    status: w.status,
    topic: w.topic,
    resource,
    event,
    hooks,
    delivery_url: w.deliveryUrl,
    date_created: formatWpDate(w.created, tz),
    date_created_gmt: formatWpDate(w.created),
    date_modified: formatNullableDate(w.modified, tz),
    date_modified_gmt: formatNullableDate(w.modified),
    _links: {
      self: [{ href: restUrl(site, `${WC_NAMESPACE}/webhooks/${w.id}`) }],
      collection: [{ href: restUrl(site, `${WC_NAMESPACE}/webhooks`) }],
    },
  };
}

export interface WebhookBookSnapshot {
  items: WebhookRecord[];
  nextId: number;
}

export class WebhookBook {
  private readonly items = new Map<number, WebhookRecord>();
  private nextId = 1;

  snapshot(): WebhookBookSnapshot {
    return { items: this.all().map((w) => ({ ...w })), nextId: this.nextId };
  }

  restore(s: WebhookBookSnapshot): void {
    this.clear();
    for (const w of s.items) this.items.set(w.id, { ...w });
    this.nextId = s.nextId;
  }

  /** Webhooks are edited in place (REST updates, delivery logs) and are few: their content is the mark. */
  changeMark(): string {
    return JSON.stringify([this.nextId, this.all()]);
  }

  add(w: Omit<WebhookRecord, 'id'>): WebhookRecord {
    const saved = { ...w, id: this.nextId++ };
    this.items.set(saved.id, saved);
    return saved;
  }

  get(id: number): WebhookRecord | undefined {
    return this.items.get(id);
  }

  remove(id: number): void {
    this.items.delete(id);
  }

  all(): WebhookRecord[] {
    return [...this.items.values()];
  }

  /** Active webhooks listening to `topic`. */
  listening(topic: string): WebhookRecord[] {
    return this.all().filter((w) => w.status === 'active' && w.topic === topic);
  }

  clear(): void {
    this.items.clear();
    this.nextId = 1;
  }
}
