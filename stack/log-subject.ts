/**
 * What a log line is about, under the same keys everywhere (workflowId, connection, productId,
 * sku), so an operator can filter the JSON lines of one product or connection.
 */
export interface LogSubject {
  connection?: string;
  productId?: number;
  sku?: string;
}

/** From an activity's or workflow's input (`{ connectionId, productId, sku, ... }`). */
export function subjectOfArgs(args: readonly unknown[]): LogSubject {
  const first = args[0];
  if (!first || typeof first !== 'object') return {};
  const a = first as Record<string, unknown>;
  const s: LogSubject = {};
  if (typeof a.connectionId === 'string') s.connection = a.connectionId;
  if (typeof a.productId === 'number') s.productId = a.productId;
  if (typeof a.sku === 'string') s.sku = a.sku;
  return s;
}

/** Workflow ids name their subject (product-push/<productId>, batch-push/<connection>, shop-item/<connection>/<productId>/…). */
const BY_CONNECTION = /^(batch-push|catalog-sync|order-import|order-poll|order-sync|webhook-health|shop-item)\/([a-z0-9][a-z0-9-]*?)(?:-\d{4}-\d\d-\d\dT[^/]*)?(?:\/(\d+))?(?:\/|$)/;

export function subjectOfWorkflowId(workflowId: unknown): LogSubject {
  if (typeof workflowId !== 'string') return {};
  const product = /^product-push\/(\d+)$/.exec(workflowId);
  if (product) return { productId: Number(product[1]) };
  const m = BY_CONNECTION.exec(workflowId);
  if (!m) return {};
  return m[1] === 'shop-item' && m[3] ? { connection: m[2], productId: Number(m[3]) } : { connection: m[2] };
}
