// Runs the eCom sandbox standalone: npx ts-node sandbox/ecom/main.ts --port 8082 [--time-scale 0.02] [--sliding]
import { startEcomSandbox } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  const sandbox = await startEcomSandbox({
    host: arg('host'),
    port: arg('port') ? Number(arg('port')) : 0,
    apiKey: arg('api-key'),
    apiSecret: arg('api-secret'),
    rateLimit: { timeScale: arg('time-scale') ? Number(arg('time-scale')) : 1, mode: process.argv.includes('--sliding') ? 'sliding' : 'fixed' },
  });
  process.stdout.write(`Lightspeed eCom sandbox ${sandbox.url}/{${sandbox.languages.join('|')}}/{resource}.json\n  api key     ${sandbox.apiKey}\n  api secret  ${sandbox.apiSecret}\n`);
  const stop = (): void => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
