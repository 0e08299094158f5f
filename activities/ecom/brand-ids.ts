// The eCom brand resource of a POS brand, remembered per connection (migration 022, ecom_brands) so
// a push lists or creates brands only the first time it meets a brand.
import type { Knex } from 'knex';
import type { EcomClient } from './client';
import { brandKey, findOrCreateBrand } from './brands';

export async function brandIdFor(db: Knex, client: EcomClient, connectionId: string, title: string): Promise<number | false> {
  const key = brandKey(title);
  if (!key) return false;
  const known = await db('ecom_brands').where({ connection_id: connectionId, brand_key: key }).first('remote_id');
  if (known) return Number(known.remote_id);
  const id = await findOrCreateBrand(client, title);
  await db('ecom_brands').insert({ connection_id: connectionId, brand_key: key, remote_id: id }).onConflict(['connection_id', 'brand_key']).merge();
  return id;
}

/** A remembered brand the shop no longer has (it refused the id): found or created again next time. */
export async function forgetBrand(db: Knex, connectionId: string, brandId: number): Promise<void> {
  await db('ecom_brands').where({ connection_id: connectionId, remote_id: brandId }).delete();
}
