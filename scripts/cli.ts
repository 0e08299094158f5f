import { Command } from 'commander';
import { ConfigError, loadConfig } from '../stack/config';
import { registerPushCommands } from './commands/push';
import { registerCatalogCommands } from './commands/catalog';
import { registerImportCommands } from './commands/import';
import { registerBackupCommands } from './commands/backups';
import { registerWebhookCommands } from './commands/webhooks';
import { registerConnectionCommands } from './commands/connections';
import { registerShopItemCommands } from './commands/shop-items';
import { registerOutletCommands } from './commands/outlets';
import { describeCliError } from './commands/workflow-failure';
import { registerShopCommands } from './commands/shop';
import { registerTokenCommands } from './commands/tokens';
import { cliApiToken } from './commands/context';
import { registerSmartBillCommands } from './commands/smartbill';
import { registerSandboxCommands } from './commands/sandbox';
import { registerDriftCommands } from './commands/drift';
import { registerAggregateCommands } from './commands/aggregate';

/**
 * `possync <command>`: start-workflow scripts for operators. They talk to the POS API and to
 * Temporal, never to a shop directly. Their defaults come from the same configuration as
 * `npm start` (HTTP_PORT, TEMPORAL_PORT, TEMPORAL_ADDRESS, ...), so a CLI run with a stack's
 * environment talks to that stack.
 */
function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(`possync: ${err instanceof ConfigError ? err.message : String(err)}`);
    process.exit(1);
  }
  const program = new Command('possync')
    .description('Drive possync: push products, sync catalogs, inspect sync status')
    .option('--api <url>', 'POS API base URL (default: POSSYNC_API_URL, else HTTP_HOST:HTTP_PORT)', config.apiUrl)
    .option('--temporal <address>', 'Temporal frontend address (default: TEMPORAL_ADDRESS, else 127.0.0.1:TEMPORAL_PORT)', config.temporalAddressForClients)
    .option('--namespace <ns>', 'Temporal namespace', config.temporal.namespace)
    .option('--task-queue <name>', 'Temporal task queue', config.temporal.taskQueue)
    .option('--json', 'print JSON instead of text', false);
  program.setOptionValue('temporalApiKey', config.temporal.apiKey);
  program.setOptionValue('temporalTls', config.temporal.tls);
  program.setOptionValue('webhookCheckSeconds', config.webhookCheckSeconds);
  const { token, source } = cliApiToken(config);
  program.setOptionValue('apiToken', token).setOptionValue('apiTokenSource', source);
  program.setOptionValue('publicUrl', config.publicUrl);

  registerPushCommands(program);
  registerCatalogCommands(program);
  registerImportCommands(program);
  registerBackupCommands(program);
  registerWebhookCommands(program);
  registerConnectionCommands(program);
  registerShopItemCommands(program);
  registerOutletCommands(program);
  registerShopCommands(program);
  registerTokenCommands(program);
  registerSmartBillCommands(program);
  registerSandboxCommands(program);
  registerDriftCommands(program);
  registerAggregateCommands(program);

  program.parseAsync(process.argv).catch((err: unknown) => {
    console.error(describeCliError(err));
    process.exit(1);
  });
}

main();
