// The WP_Error envelope `{code, message, data: {status, ...}}` and the errors the sandbox raises.

export class WpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Members of `data` besides status, e.g. resource_id and unique_sku. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get data(): unknown {
    return { status: this.status, ...this.extra };
  }

  toBody(): { code: string; message: string; data: unknown } {
    return { code: this.code, message: this.message, data: this.data };
  }
}

/** `new WP_Error(code, message, 500)`: the data is the bare status, as the refunds controller answers (recorded). */
export class WpErrorBareStatus extends WpError {
  override get data(): unknown {
    return this.status;
  }
}

/** WordPress post types used in error codes: woocommerce_rest_{post_type}_invalid_id. */
export type PostType = 'product' | 'product_variation' | 'shop_order' | 'shop_webhook';

export const invalidId = (postType: PostType, status: 400 | 404): WpError =>
  new WpError(`woocommerce_rest_${postType}_invalid_id`, 'Invalid ID.', status);

export const variationViaProductsRoute = (): WpError =>
  new WpError(
    'woocommerce_rest_invalid_product_id',
    'To manipulate product variations you should use the /products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.',
    404,
  );

export const alreadyExists = (postType: PostType): WpError =>
  new WpError(`woocommerce_rest_${postType}_exists`, `Cannot create existing ${postType}.`, 400);

export const alreadyTrashed = (postType: PostType): WpError =>
  new WpError('woocommerce_rest_already_trashed', `The ${postType} has already been deleted.`, 410);

export const noRoute = (): WpError => new WpError('rest_no_route', 'No route was found matching the URL and request method.', 404);

export const invalidJson = (): WpError =>
  new WpError('rest_invalid_json', 'Invalid JSON body passed.', 400, { json_error_code: 4, json_error_message: 'Syntax error' });

export const batchTooLarge = (limit: number): WpError =>
  new WpError('woocommerce_rest_request_entity_too_large', `Unable to accept more than ${limit} items for this request.`, 413);

export const authError = (message: string): WpError => new WpError('woocommerce_rest_authentication_error', message, 401);
