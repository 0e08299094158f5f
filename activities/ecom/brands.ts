// A POS brand is an eCom brand resource: found by title (case and spacing ignored) or created once.
import type { EcomClient } from './client';
import type { EcomBrand } from './types';

export function brandKey(title: string): string {
  return title.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The id of the shop's brand with this title, creating it when the shop has none. `known` (title key
 * -> id) saves the listing when the caller remembers brands already resolved; it is filled in here.
 */
export async function findOrCreateBrand(client: EcomClient, title: string, known: Map<string, number> = new Map()): Promise<number> {
  const key = brandKey(title);
  if (!key) throw new TypeError('an empty brand has no eCom brand resource (write brand: false)');
  const remembered = known.get(key);
  if (remembered !== undefined) return remembered;
  const existing: EcomBrand | undefined = (await client.brands.listAll()).find((b) => brandKey(b.title) === key);
  const id = existing ? existing.id : (await client.brands.create(title.trim(), 'catalog')).id;
  known.set(key, id);
  return id;
}
