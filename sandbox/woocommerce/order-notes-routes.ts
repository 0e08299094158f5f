// /orders/{order_id}/notes and /orders/{order_id}/notes/{id} (WC_REST_Order_Notes_Controller).
import { noteCollectionArgs, noteCreateArgs } from './arg-schemas';
import { absint, isSet, phpEmpty, phpStrval, wcStringToBool } from './coerce';
import { WpError } from './errors';
import type { OrderNote } from './order-model';
import { API_USER, SYSTEM_AUTHOR, renderNote } from './order-notes';
import { canCreate, canDelete, canList, canView } from './permissions';
import { type ApiResult, CREATE, DELETE, type HandlerContext, READ, type Route, wcRoute } from './router';
import { restUrl, WC_NAMESPACE } from './site';

const orderId = (ctx: HandlerContext): number => absint(ctx.params.order_id);
const orderExists = (ctx: HandlerContext): boolean => ctx.store.orderBook.get(orderId(ctx)) !== undefined;
const bool = (v: unknown): boolean => isSet(v) && wcStringToBool(v);

function listNotes(ctx: HandlerContext): ApiResult {
  if (!orderExists(ctx)) throw new WpError('woocommerce_rest_shop_order_invalid_id', 'Invalid order ID.', 404);
  const type = isSet(ctx.params.type) ? phpStrval(ctx.params.type) : 'any';
  const notes = ctx.store.orderBook
    .notesOf(orderId(ctx))
    .filter((n) => type === 'any' || (type === 'customer' ? n.customerNote : !n.customerNote));
  return { status: 200, body: notes.map((n) => renderNote(ctx.site, n)) };
}

function createNote(ctx: HandlerContext): ApiResult {
  const p = ctx.params;
  if (!phpEmpty(p.id)) throw new WpError('woocommerce_rest_shop_order_exists', 'Cannot create existing shop_order.', 400);
  const author = bool(p.added_by_user) ? API_USER : SYSTEM_AUTHOR;
  const note = ctx.orders.addNote(ctx.env, orderId(ctx), phpStrval(p.note), bool(p.customer_note), author);
  return {
    status: 201,
    body: renderNote(ctx.site, note),
    headers: { Location: restUrl(ctx.site, `${WC_NAMESPACE}/orders/${note.orderId}/notes/${note.id}`) },
  };
}

/** The note of this order, or the controller's 404s (order first, then note). */
function findNote(ctx: HandlerContext): OrderNote {
  if (!orderExists(ctx)) throw new WpError('woocommerce_rest_order_invalid_id', 'Invalid order ID.', 404);
  const note = ctx.store.orderBook.note(absint(ctx.params.id));
  if (!note || note.orderId !== orderId(ctx)) throw new WpError('woocommerce_rest_invalid_id', 'Invalid resource ID.', 404);
  return note;
}

function deleteNote(ctx: HandlerContext): ApiResult {
  // Checked before anything else, with the webhook controller's message (as in WooCommerce).
  if (!bool(ctx.params.force)) throw new WpError('woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.', 501);
  const note = findNote(ctx);
  const body = renderNote(ctx.site, note);
  ctx.store.orderBook.deleteNote(note.id);
  return { status: 200, body };
}

const itemArgs = { context: noteCollectionArgs.context!, force: { type: 'boolean' as const } };

export const orderNoteRoutes: Route[] = [
  wcRoute('/orders/{order_id}/notes', [
    { methods: READ, args: noteCollectionArgs, permission: canList, handle: listNotes },
    { methods: CREATE, args: noteCreateArgs, permission: canCreate, handle: createNote },
  ]),
  wcRoute('/orders/{order_id}/notes/{id}', [
    { methods: READ, args: itemArgs, permission: canView(orderExists), handle: (ctx) => ({ status: 200, body: renderNote(ctx.site, findNote(ctx)) }) },
    { methods: DELETE, args: itemArgs, permission: canDelete(orderExists), handle: deleteNote },
  ]),
];
