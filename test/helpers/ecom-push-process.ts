// One eCom product push in a process of its own, so a test can SIGKILL it mid-way.
// Env: DATABASE_URL, ECOM_CONNECTION_ID, ECOM_URL, ECOM_KEY, ECOM_SECRET, ECOM_TIME_SCALE, PRODUCT_ID.
import { EcomClient } from '../../activities/ecom/client';
import { writeEcomProduct } from '../../activities/ecom/product-writer';
import { connectDb } from '../../db/connection';

async function main(): Promise<void> {
  const env = process.env;
  const db = connectDb(env.DATABASE_URL!);
  const client = new EcomClient({ baseUrl: env.ECOM_URL!, apiKey: env.ECOM_KEY!, apiSecret: env.ECOM_SECRET!, language: 'nl', budget: { timeScale: Number(env.ECOM_TIME_SCALE ?? '1') } });
  console.log('pushing');
  const out = await writeEcomProduct({ db, client, connectionId: env.ECOM_CONNECTION_ID!, heartbeat: () => undefined }, Number(env.PRODUCT_ID), { stockOnly: false });
  console.log(JSON.stringify(out));
  client.close();
  await db.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
