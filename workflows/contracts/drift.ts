/** Ids and shapes of `drift` (issue 11): the items a shop holds otherwise than the POS would push. */
export const driftWorkflowId = (connectionId: string, at: number): string => `drift/${connectionId}/${at}`;

export type DriftKind = 'differs' | 'unlinked' | 'missing';
export const DRIFT_KINDS: DriftKind[] = ['differs', 'unlinked', 'missing'];

export interface DriftInput {
  connectionId: string;
  /** Only this product's SKU (or a variant's). */
  sku?: string;
  /** Push the POS values for what was found, through the normal push paths. */
  repair?: boolean;
}

export interface DriftCounts {
  differs: number;
  unlinked: number;
  missing: number;
}

export interface DriftRepairCounts {
  /** Linked products queued for the connection's batched push. */
  queued: number;
  /** Products linked to the shop product that holds their SKU (then queued). */
  relinked: number;
  /** Products missing in the shop, handed to their push saga to be created again. */
  recreated: number;
  /** Shop products holding the SKU of a product linked to another shop product (a duplicate): left as they are. */
  leftAlone: number;
}

/** What the workflow returns: counts and the report id; the items stay in PostgreSQL (drift_items). */
export interface DriftResult {
  reportId: string;
  connectionId: string;
  counts: DriftCounts;
  shopProducts: number;
  requests: number;
  pages: number;
  repaired?: DriftRepairCounts;
}

export interface DriftPageResult {
  /** Shop products on the page. */
  products: number;
  requests: number;
  /** The shop's page count (X-WP-TotalPages), to stop without asking for an empty page. */
  totalPages: number;
}

/** One row of a report, as GET /api/drift-reports/:id answers it. */
export interface DriftItem {
  kind: DriftKind;
  sku: string;
  product_id: number | null;
  remote_id: number | null;
  fields: string[];
  shop: Record<string, unknown> | null;
  pos: Record<string, unknown> | null;
}
