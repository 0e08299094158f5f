// Runs the sandbox standalone: npx ts-node sandbox/woocommerce/main.ts --port 8081 [--https] [--read-only] [--state file.json]
import { startWooSandbox } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  const sandbox = await startWooSandbox({
    host: arg('host'),
    port: arg('port') ? Number(arg('port')) : 0,
    consumerKey: arg('consumer-key'),
    consumerSecret: arg('consumer-secret'),
    assumeHttps: process.argv.includes('--https'),
    readOnlyKey: process.argv.includes('--read-only'),
    stateFile: arg('state'),
  });
  process.stdout.write(
    `WooCommerce sandbox ${sandbox.url}/wp-json/wc/v3\n` + `  consumer key     ${sandbox.consumerKey}\n` + `  consumer secret  ${sandbox.consumerSecret}\n`,
  );
  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
