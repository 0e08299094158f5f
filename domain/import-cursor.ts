import type { HistoryEnd, ImportCursor } from '../workflows/contracts/order-import';

/**
 * The order import's position in the history (issue 7.6): pure, shared by the activity and
 * the workflow. Positions are (creation date in GMT at seconds, id), the order WooCommerce lists
 * with `orderby=date` (it appends ID as the tiebreaker).
 */

/** "2024-01-01T10:00:00" from what WooCommerce answers (seconds, no zone, GMT). */
export function gmtSeconds(s: string): string {
  return s.replace(' ', 'T').replace(/Z$/, '').slice(0, 19);
}

/** `after` is exclusive in WooCommerce: one second earlier than the cursor's date includes that second. */
export function afterParam(cursor: ImportCursor): string {
  return new Date(Date.parse(`${cursor.dateGmt}Z`) - 1000).toISOString().slice(0, 19);
}

/**
 * Beyond this many orders in one second, `exclude` would make the URL too long: the ids at the
 * cursor's date are skipped by `offset` instead (an order deleted in that very second may then
 * shift one order of it).
 */
export const MAX_EXCLUDE = 200;

/** The list parameters that read on after the cursor, and how many listed orders they skip. */
export function cursorParams(cursor: ImportCursor | null, maxExclude = MAX_EXCLUDE): { after?: string; exclude?: number[]; offset?: number } {
  if (!cursor) return {};
  if (cursor.idsAtDate.length > maxExclude) return { after: afterParam(cursor), offset: cursor.idsAtDate.length };
  return { after: afterParam(cursor), exclude: cursor.idsAtDate };
}

/** The cursor after a page listed oldest first. */
export function advance(cursor: ImportCursor | null, orders: { id: number; dateCreatedGmt: string }[]): ImportCursor | null {
  if (orders.length === 0) return cursor;
  const last = gmtSeconds(orders[orders.length - 1]!.dateCreatedGmt);
  const atLast = orders.filter((o) => gmtSeconds(o.dateCreatedGmt) === last).map((o) => o.id);
  const carried = cursor && cursor.dateGmt === last ? cursor.idsAtDate : [];
  return { dateGmt: last, idsAtDate: [...new Set([...carried, ...atLast])].sort((a, b) => a - b) };
}

/** Whether the cursor is at or past the given order. */
export function hasPassed(cursor: ImportCursor | null, end: HistoryEnd): boolean {
  if (!cursor) return false;
  if (cursor.dateGmt !== end.dateGmt) return cursor.dateGmt > end.dateGmt;
  return cursor.idsAtDate.some((id) => id >= end.id);
}

/** A stable name of the page read after this cursor: a retry of the same page has the same key. */
export function cursorKey(cursor: ImportCursor | null): string {
  return cursor ? `${cursor.dateGmt}/${Math.max(0, ...cursor.idsAtDate)}` : 'start';
}
