// The route table shape shared by the catalog and order routes.
import type { EcomStore } from './model';
import type { EcomAnswer, EcomRequest } from './request';
import type { RenderContext } from './shapes';

export interface RouteContext extends RenderContext {
  store: EcomStore;
  languages: string[];
  now: () => string;
  /** An order was created or changed: webhooks fire. */
  orderEvent: (action: 'created' | 'updated' | 'paid', orderId: number) => void;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Route template for stats, e.g. 'GET /products/{id}'. */
  key: string;
  handle: (c: RouteContext, req: EcomRequest, ids: number[]) => EcomAnswer;
}

export function route(method: string, template: string, handle: Route['handle']): Route {
  const pattern = new RegExp(`^${template.replace(/\{id\}/g, '(\\d+)')}$`);
  return { method, pattern, key: `${method} ${template}`, handle };
}

export const ok = (body: unknown, status = 200): EcomAnswer => ({ status, body });
export const noContent = (): EcomAnswer => ({ status: 204, body: undefined });
