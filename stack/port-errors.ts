import type { Config } from './config';
import { PortTakenError } from './stale-processes';
import { portIsFree } from './temporal-dev-server';

export { PortTakenError };

export async function assertPortFree(what: string, port: number, variable: string, host = '127.0.0.1', hint = ''): Promise<void> {
  if (port !== 0 && !(await portIsFree(port, host))) throw new PortTakenError(what, port, variable, hint);
}

/**
 * Issue 8.12: the ports of the parts that have no stale process of our own to stop first (the POS
 * API, the sandbox store) are checked before anything starts, so a taken one is reported at once
 * with its holder and the variable to set, never as a raw EADDRINUSE after a minute of start-up.
 * PostgreSQL and the Temporal dev server check theirs after stopping what a killed run left.
 */
export async function assertStartPortsFree(config: Config): Promise<void> {
  await assertPortFree('The POS API', config.http.port, 'HTTP_PORT', config.http.host);
  if (!config.woo) await assertPortFree('The WooCommerce sandbox store', config.sandbox.port, 'SANDBOX_PORT', '127.0.0.1', ' (WOO_URL uses a real store instead)');
}
