import path from 'node:path';
import type { Command } from 'commander';
import { resetStateFile, sandboxStateFile } from '../../sandbox/woocommerce';
import { loadConfig } from '../../stack/config';
import { livePidFileProcess } from '../../stack/stale-processes';
import { cliContext } from './context';

/** `possync sandbox reset <connection>`: forget the sandbox store kept in the data folder. */
export function registerSandboxCommands(program: Command): void {
  const sandbox = program.command('sandbox').description('the sandbox shops (WooCommerce, eCom) that `npm start` keeps in the data folder');
  sandbox
    .command('reset <connectionId>')
    .description('empty the sandbox store of a connection (its ids go on): the next `npm start` pushes the catalog into it again and gives it a new order history (possync must be stopped)')
    .action((connectionId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const { dataDir } = loadConfig();
      const running = livePidFileProcess(path.join(dataDir, 'possync.pid'));
      // A running sandbox would write its state back when it stops.
      if (running) throw new Error(`possync is running with the data folder ${dataDir} (pid ${running}): stop it first (Ctrl-C), then reset`);
      const file = sandboxStateFile(dataDir, connectionId);
      const emptied = resetStateFile(file);
      ctx.print(
        emptied
          ? `emptied the sandbox store of ${connectionId} (${file}; its ids go on, so none is given out twice); the next \`npm start\` pushes the catalog into it again`
          : `the sandbox store of ${connectionId} is already empty (no ${file})`,
        { connectionId, file, emptied },
      );
    });
}
