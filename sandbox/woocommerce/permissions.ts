// permission_callbacks of the CRUD controllers: anonymous requests get 401 with these codes. Item
// checks only apply to existing objects, so an unknown id still reaches its 404/400.
import { WpError } from './errors';
import type { HandlerContext } from './router';

type Check = (ctx: HandlerContext) => WpError | undefined;

const need =
  (code: string, message: string): Check =>
  (ctx) =>
    ctx.authenticated ? undefined : new WpError(code, message, 401);

export const canList = need('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
export const canCreate = need('woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.');
export const canBatch = need('woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.');

const itemCheck =
  (code: string, message: string) =>
  (exists: (ctx: HandlerContext) => boolean): Check =>
  (ctx) =>
    ctx.authenticated || !exists(ctx) ? undefined : new WpError(code, message, 401);

export const canView = itemCheck('woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.');
export const canEdit = itemCheck('woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.');
export const canDelete = itemCheck('woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.');
