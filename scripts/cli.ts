import { Command } from 'commander';
import { registerPushCommands } from './commands/push';
import { registerCatalogCommands } from './commands/catalog';
import { registerImportCommands } from './commands/import';
import { registerShopItemCommands } from './commands/shop-items';

/**
 * `possync <command>`: start-workflow scripts for operators. They talk to the POS API and to
 * Temporal, never to a shop directly.
 */
const program = new Command('possync')
  .description('Drive possync: push products, sync catalogs, inspect sync status')
  .option('--api <url>', 'POS API base URL', process.env.POSSYNC_API_URL ?? 'http://127.0.0.1:3000')
  .option('--temporal <address>', 'Temporal frontend address', process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233')
  .option('--namespace <ns>', 'Temporal namespace', process.env.TEMPORAL_NAMESPACE ?? 'default')
  .option('--task-queue <name>', 'Temporal task queue', process.env.TEMPORAL_TASK_QUEUE ?? 'possync')
  .option('--json', 'print JSON instead of text', false);

registerPushCommands(program);
registerCatalogCommands(program);
registerImportCommands(program);
registerShopItemCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`possync: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
