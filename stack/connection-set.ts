import { ConfigError, type Config } from './config';
import type { ConnectionSpec } from './connection-spec';
import { loadConnectionsFile } from './connections-file';

/**
 * The connections this start runs (issue 9): those of the connections file, plus the WOO_URL/keys
 * shortcut for one real store; with neither, the sandbox connection (one per kind as channels land).
 * Read again by `possync connections reload`.
 */
export function configuredConnections(config: Config, env: NodeJS.ProcessEnv = process.env): ConnectionSpec[] {
  const specs = config.connectionsFile ? loadConnectionsFile(config.connectionsFile, env) : [];
  if (config.woo) {
    if (specs.some((s) => s.id === config.woo!.connectionId)) {
      throw new ConfigError(`connection ${config.woo.connectionId} is declared in ${config.connectionsFile} and by WOO_URL: set WOO_CONNECTION_ID to another id, or keep one of them`);
    }
    specs.push({
      id: config.woo.connectionId, kind: 'woocommerce', name: 'WooCommerce store', sandbox: false, url: config.woo.baseUrl,
      register: {}, settings: {},
      credentials: { consumerKey: config.woo.consumerKey, consumerSecret: config.woo.consumerSecret }, webhookSecret: config.woo.webhookSecret,
    });
  }
  if (specs.length === 0) {
    specs.push({
      id: config.wooConnectionId, kind: 'woocommerce', name: 'WooCommerce sandbox', sandbox: true,
      register: {}, settings: {}, webhookSecret: config.wooWebhookSecret,
    });
  }
  const shops = new Set(specs.filter((s) => s.kind === 'woocommerce').map((s) => s.id));
  const problems = specs
    .filter((s) => s.kind === 'smartbill' && !shops.has(String(s.settings.shop_connection)))
    .map((s) => `  - connection ${s.id}.shop_connection: no woocommerce connection "${s.settings.shop_connection}" is configured`);
  if (problems.length) throw new ConfigError(`Invalid connections:\n${problems.join('\n')}`);
  return specs;
}
