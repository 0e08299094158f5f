// A second worker process's worth of eCom budget for test/ecom-budget/shared-budget.test.ts: its own
// database pool and SharedRequestBudget over the same row, a real process the test can SIGKILL.
// It prints `ready`, then starts on a line from stdin:
//   hammer <n>: n product counts through the shared budget, then prints `done` and exits;
//   hold <n>:   one count (so the windows are known), then takes n slots, prints `held`, never answers.
import { EcomClient } from '../../activities/ecom/client';
import { SharedRequestBudget } from '../../activities/ecom/shared-budget';
import { connectDb } from '../../db/connection';

async function main(): Promise<void> {
  const [mode, count] = process.argv.slice(2);
  const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
  const db = connectDb(env('DATABASE_URL'), { max: 4 });
  const limits = JSON.parse(env('BUDGET_LIMITS'));
  const budget = new SharedRequestBudget(db, env('BUDGET_KEY'), limits, { leaseMs: Number(env('LEASE_MS')) });
  const client = new EcomClient({ baseUrl: env('ECOM_URL'), apiKey: env('ECOM_KEY'), apiSecret: env('ECOM_SECRET'), language: 'nl', ownBudget: budget });
  console.log('ready');
  await new Promise((resolve) => process.stdin.once('data', resolve)); // the test's `go`
  if (mode === 'hammer') {
    await Promise.all(Array.from({ length: Number(count) }, () => client.products.count()));
    await budget.settled();
    console.log('done');
    client.close();
    await db.destroy();
    return;
  }
  await client.products.count();
  await budget.settled();
  for (let i = 0; i < Number(count); i++) await budget.acquire('catalog');
  console.log('held');
  setInterval(() => undefined, 60_000);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
