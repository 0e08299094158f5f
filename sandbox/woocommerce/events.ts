// What a write tells the webhook machinery: the WordPress hooks a webhook topic listens to, reduced
// to resource + event + id.

export type WebhookResource = 'order' | 'product' | 'coupon' | 'customer';
export type WebhookEvent = 'created' | 'updated' | 'deleted' | 'restored';

export interface ResourceEvent {
  resource: WebhookResource;
  event: WebhookEvent;
  id: number;
}

export type EventSink = (e: ResourceEvent) => void;

export const ignoreEvents: EventSink = () => undefined;
