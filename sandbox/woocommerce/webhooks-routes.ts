// /webhooks, /webhooks/{id} and /webhooks/batch (WC_REST_Webhooks_Controller, v1 code paths with
// v2 dates): creating one pings its delivery URL before the answer is sent.
import crypto from 'node:crypto';
import { itemArgs, webhookCollectionArgs, webhookCreateArgs, webhookWriteArgs } from './arg-schemas';
import { batchItemCount, runBatch } from './batch';
import { absint, isSet, phpEmpty, phpStrval, wcStringToBool } from './coerce';
import { dateQueryWallMs } from './dates';
import { WpError, alreadyExists } from './errors';
import { listHeaders, pageSlice, readPaging } from './pagination';
import { canBatch, canCreate, canDelete, canEdit, canList, canView } from './permissions';
import { type ApiResult, CREATE, DELETE, EDIT, type HandlerContext, READ, type Route, wcRoute } from './router';
import { wpParseList } from './schema-validate';
import { restUrl, WC_NAMESPACE } from './site';
import { type WebhookRecord, type WebhookStatus, isValidDeliveryUrl, isValidTopic, renderWebhook } from './webhook-model';
import type { Params } from './write-common';

const invalid = (what: 'topic' | 'delivery_url' | 'status', creating: boolean): WpError => {
  if (what === 'topic') {
    return new WpError('woocommerce_rest_shop_webhook_invalid_topic', creating ? 'Webhook topic is required and must be valid.' : 'Webhook topic must be valid.', 400);
  }
  if (what === 'status') return new WpError('woocommerce_rest_shop_webhook_invalid_status', 'Webhook status must be valid.', 400);
  return new WpError('woocommerce_rest_shop_webhook_invalid_delivery_url', 'Webhook delivery URL must be a valid URL starting with http:// or https://.', 400);
};

/** strftime('%b %d, %Y @ %I:%M %p') in site time. */
function defaultName(now: number, tzOffsetMinutes: number): string {
  const d = new Date(now + tzOffsetMinutes * 60_000);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hour = d.getUTCHours() % 12 || 12;
  return `Webhook created on ${month} ${pad(d.getUTCDate())}, ${d.getUTCFullYear()} @ ${pad(hour)}:${pad(d.getUTCMinutes())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

function createWebhook(ctx: HandlerContext, p: Params): WebhookRecord {
  if (!phpEmpty(p.id)) throw alreadyExists('shop_webhook');
  const topic = phpStrval(p.topic).toLowerCase();
  if (phpEmpty(p.topic) || !isValidTopic(topic)) throw invalid('topic', true);
  if (phpEmpty(p.delivery_url) || !isValidDeliveryUrl(phpStrval(p.delivery_url))) throw invalid('delivery_url', true);
  const status = phpStrval(p.status).toLowerCase();
  return ctx.store.webhooks.add({
    name: phpEmpty(p.name) ? defaultName(ctx.env.now, ctx.site.tzOffsetMinutes) : phpStrval(p.name),
    status: status === 'paused' || status === 'disabled' ? status : 'active',
    topic,
    deliveryUrl: phpStrval(p.delivery_url),
    secret: phpEmpty(p.secret) ? crypto.randomBytes(38).toString('base64').slice(0, 50) : phpStrval(p.secret),
    apiVersion: 'wp_api_v3',
    created: ctx.env.now,
    modified: null,
    failureCount: 0,
  });
}

function updateWebhook(ctx: HandlerContext, id: number, p: Params): WebhookRecord {
  const existing = ctx.store.webhooks.get(id);
  if (!existing) throw new WpError('woocommerce_rest_shop_webhook_invalid_id', 'ID is invalid.', 400);
  const next = { ...existing };
  if (!phpEmpty(p.topic)) {
    const topic = phpStrval(p.topic).toLowerCase();
    if (!isValidTopic(topic)) throw invalid('topic', false);
    next.topic = topic;
  }
  if (!phpEmpty(p.delivery_url)) {
    if (!isValidDeliveryUrl(phpStrval(p.delivery_url))) throw invalid('delivery_url', false);
    next.deliveryUrl = phpStrval(p.delivery_url);
  }
  if (!phpEmpty(p.secret)) next.secret = phpStrval(p.secret);
  if (!phpEmpty(p.status)) {
    const status = phpStrval(p.status).toLowerCase();
    if (!['active', 'paused', 'disabled'].includes(status)) throw invalid('status', false);
    next.status = status as WebhookStatus;
  }
  if (!phpEmpty(p.name)) next.name = phpStrval(p.name);
  next.modified = ctx.env.now;
  Object.assign(existing, next);
  return existing;
}

function deleteWebhook(ctx: HandlerContext, id: number, force: boolean): unknown {
  if (!force) throw new WpError('woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.', 501);
  const w = ctx.store.webhooks.get(id);
  if (!w) throw new WpError('woocommerce_rest_shop_webhook_invalid_id', 'Invalid ID.', 404);
  const body = renderWebhook(ctx.site, w);
  ctx.store.webhooks.remove(id);
  return body;
}

/** search_webhooks: newest first by default; rows of the same second come in id order. */
function listWebhooks(ctx: HandlerContext): ApiResult {
  const p = ctx.params;
  const status = isSet(p.status) ? phpStrval(p.status) : 'all';
  const include = wpParseList(p.include).map(absint);
  const exclude = wpParseList(p.exclude).map(absint);
  const search = isSet(p.search) ? phpStrval(p.search).toLowerCase() : '';
  const limit = (key: string): number | undefined => (isSet(p[key]) ? dateQueryWallMs(phpStrval(p[key]), ctx.site.tzOffsetMinutes) : undefined);
  const after = limit('after');
  const before = limit('before');
  const local = (ms: number): number => ms + ctx.site.tzOffsetMinutes * 60_000;
  const orderby = isSet(p.orderby) ? phpStrval(p.orderby) : 'date';
  const dir = isSet(p.order) && phpStrval(p.order).toLowerCase() === 'asc' ? 1 : -1;
  const items = ctx.store.webhooks
    .all()
    .filter((w) => status === 'all' || w.status === status)
    .filter((w) => include.length === 0 || include.includes(w.id))
    .filter((w) => !exclude.includes(w.id))
    .filter((w) => search === '' || w.name.toLowerCase().includes(search))
    .filter((w) => (after === undefined || local(w.created) > after) && (before === undefined || local(w.created) < before))
    .sort((a, b) => {
      if (orderby === 'id') return (a.id - b.id) * dir;
      if (orderby === 'title') return (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) * dir || a.id - b.id;
      return (Math.floor(a.created / 1000) - Math.floor(b.created / 1000)) * dir || a.id - b.id;
    });
  const paging = readPaging(p);
  return {
    status: 200,
    body: pageSlice(items, paging).map((w) => renderWebhook(ctx.site, w)),
    headers: listHeaders(ctx.site, `${WC_NAMESPACE}/webhooks`, ctx.api.query, paging, items.length),
  };
}

function postWebhook(ctx: HandlerContext): ApiResult {
  const w = createWebhook(ctx, ctx.params);
  // deliver_ping() runs before the controller returns; its outcome is ignored.
  return {
    status: 201,
    body: renderWebhook(ctx.site, w),
    headers: { Location: restUrl(ctx.site, `${WC_NAMESPACE}/webhooks/${w.id}`) },
    settle: ctx.webhooks.ping(w),
  };
}

function getWebhook(ctx: HandlerContext): ApiResult {
  const w = ctx.store.webhooks.get(absint(ctx.params.id));
  if (!w) throw new WpError('woocommerce_rest_shop_webhook_invalid_id', 'ID is invalid.', 400);
  return { status: 200, body: renderWebhook(ctx.site, w) };
}

function batchWebhooks(ctx: HandlerContext): ApiResult {
  const pings: Array<Promise<unknown>> = [];
  const result = runBatch(ctx, {
    create: (item) => {
      const w = createWebhook(ctx, item);
      pings.push(ctx.webhooks.ping(w));
      return renderWebhook(ctx.site, w);
    },
    update: (item) => renderWebhook(ctx.site, updateWebhook(ctx, absint(item.id), item)),
    delete: (id) => deleteWebhook(ctx, id, true),
  });
  return { ...result, settle: Promise.all(pings) };
}

const always = (): boolean => true;

export const webhookRoutes: Route[] = [
  wcRoute('/webhooks', [
    { methods: READ, args: webhookCollectionArgs, permission: canList, handle: listWebhooks },
    { methods: CREATE, args: webhookCreateArgs, permission: canCreate, handle: postWebhook },
  ]),
  wcRoute('/webhooks/batch', [{ methods: EDIT, permission: canBatch, handle: batchWebhooks, objects: batchItemCount }]),
  wcRoute('/webhooks/{id}', [
    { methods: READ, args: itemArgs, permission: canView(always), handle: getWebhook },
    { methods: EDIT, args: webhookWriteArgs, permission: canEdit(always), handle: (ctx) => ({ status: 200, body: renderWebhook(ctx.site, updateWebhook(ctx, absint(ctx.params.id), ctx.params)) }) },
    {
      methods: DELETE,
      args: itemArgs,
      permission: canDelete(always),
      handle: (ctx) => ({ status: 200, body: deleteWebhook(ctx, absint(ctx.params.id), isSet(ctx.params.force) && wcStringToBool(ctx.params.force)) }),
    },
  ]),
];
