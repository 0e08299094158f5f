// Order notes (order_note comments): the REST representation and the notes WooCommerce writes.
import { formatWpDate } from './dates';
import type { OrderNote } from './order-model';
import { type Site, restUrl, WC_NAMESPACE } from './site';

/** comment_author of notes written by WooCommerce itself (and by the API unless added_by_user). */
export const SYSTEM_AUTHOR = 'WooCommerce';
/** The user behind the API key, for notes sent with added_by_user. */
export const API_USER = 'admin';

export function renderNote(site: Site, n: OrderNote): Record<string, unknown> {
  const base = `${WC_NAMESPACE}/orders/${n.orderId}`;
  return {
    id: n.id,
    // v3 maps the lowercase 'woocommerce' author to "system"; WooCommerce's own notes say "WooCommerce".
    author: n.author === 'woocommerce' ? 'system' : n.author,
    date_created: formatWpDate(n.created, site.tzOffsetMinutes),
    date_created_gmt: formatWpDate(n.created),
    note: n.content,
    customer_note: n.customerNote,
    _links: {
      self: [{ href: restUrl(site, `${base}/notes/${n.id}`) }],
      collection: [{ href: restUrl(site, `${base}/notes`) }],
      up: [{ href: restUrl(site, base) }],
    },
  };
}
