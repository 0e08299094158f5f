import { gmtSeconds, hasPassed } from '../../domain/import-cursor';
import type { HistoryEnd, ImportCursor } from '../../workflows/contracts/order-import';
import type { WooClient } from './client';
import { WooApiError } from './errors';

/** Where the order history ends, and whether an empty answer from the store is believable (issue 7.6). */

/** The newest order created before the connection's start date, or null when the store lists none. */
export async function newestHistoryOrder(client: WooClient, before: string): Promise<HistoryEnd | null> {
  const list = await client.listOrders({ before, dates_are_gmt: true, orderby: 'date', order: 'desc', per_page: 1, _fields: 'id,date_created_gmt' });
  const o = list.items[0];
  return o ? { id: o.id, dateGmt: gmtSeconds(o.date_created_gmt ?? '') } : null;
}

/** Whether the store still has the order as a history order (not deleted, not trashed). */
async function stillThere(client: WooClient, end: HistoryEnd, before: string): Promise<boolean> {
  try {
    const o = await client.getOrder(end.id);
    return o.status !== 'trash' && gmtSeconds(o.date_created_gmt ?? '') < before;
  } catch (err) {
    if (err instanceof WooApiError && (err.status === 404 || err.status === 410)) return false;
    throw err;
  }
}

/**
 * Nothing more is listed after the cursor: either the history is read, or the store's answer
 * contradicts what it said before (an empty page from a store that lost or has not yet loaded its
 * orders, issue 7.6). Returns the reason of a contradiction, or undefined when the end is real.
 */
export async function checkEnd(client: WooClient, cursor: ImportCursor | null, end: HistoryEnd | null, before: string, ordersSoFar: number): Promise<string | undefined> {
  if (!end || hasPassed(cursor, end)) return undefined;
  if (await stillThere(client, end, before)) {
    return `the store listed no orders after ${cursor?.dateGmt ?? 'the start'}, yet history order ${end.id} (created ${end.dateGmt}) is still there`;
  }
  // The last history order went away: the end is real if the store still lists history up to the cursor.
  const newest = await newestHistoryOrder(client, before);
  if (newest && hasPassed(cursor, newest)) return undefined;
  if (!newest) {
    return `the store lists no history orders at all, though ${ordersSoFar} were imported and order ${end.id} (created ${end.dateGmt}) was the last`;
  }
  return `the store listed no orders after ${cursor?.dateGmt ?? 'the start'}, yet its newest history order is ${newest.id} (created ${newest.dateGmt})`;
}
