import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connection';
import { bearerTokenMatches, parseStockCall, pluginTextAnswer, pluginTexts, sameWarehouse } from '../../domain/smartbill-stock-call';
import { recordStockCall, type ReceivedItem } from '../../activities/smartbill/ledger';
import type { SmartBillConnection, SmartBillRegistry } from '../../activities/smartbill/registry';

export interface SmartBillReceiverDeps {
  db: Db;
  smartbill?: Pick<SmartBillRegistry, 'get' | 'all'>;
  /** Wakes `smartbill-apply/<connection>` after the movements are committed; never holds the answer. */
  smartbillReceived?: (connectionId: string) => void;
}

/** The plugin's path, for a reverse proxy in front of the shop that forwards it here. */
export const PLUGIN_RECEIVER_PATH = '/wp-json/smartbill_woocommerce/v1/stocks';

const STRIPPED_HEADER_HINT =
  ' (No Authorization header arrived. A web server in front of possync may strip it: on Apache with CGI/FastCGI add' +
  ' `SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1` to the vhost or .htaccess, or forward the header in your proxy.)';

/**
 * SmartBill's stock calls (M-D2, M-D3), at `/smartbill/<connection>/stocks` and at the plugin's own
 * path. Answered as the plugin answers (403 bad token, 400 sync off or bad JSON, 200 with a text line
 * per item), but committed to the ledger and applied by a workflow: a slow or down shop loses nothing.
 * The token is checked before anything else is revealed, an unknown connection included.
 */
export function registerSmartBillReceiverRoutes(app: FastifyInstance, deps: SmartBillReceiverDeps): void {
  void app.register(async (scope) => {
    // The raw body, whatever the content type SmartBill declares: bad JSON gets the plugin's own answer.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { connectionId: string } }>('/smartbill/:connectionId/stocks', (req, reply) =>
      receive(req, reply, deps, deps.smartbill?.get(req.params.connectionId)));
    scope.post(PLUGIN_RECEIVER_PATH, (req, reply) => {
      const matching = deps.smartbill?.all().filter((c) => bearerTokenMatches(req.headers.authorization, c.token)) ?? [];
      if (matching.length > 1) {
        const paths = matching.map((c) => `/smartbill/${c.id}/stocks`).join(', ');
        return reply.status(400).type('application/json; charset=UTF-8').send(JSON.stringify(
          `Several SmartBill connections use this token; give SmartBill the URL of the one this call is for: ${paths}`));
      }
      return receive(req, reply, deps, matching[0]);
    });
  });
}

async function receive(req: FastifyRequest, reply: FastifyReply, deps: SmartBillReceiverDeps, connection: SmartBillConnection | undefined) {
  const text = (status: number, body: string) => reply.status(status).type('application/json; charset=UTF-8').send(body);
  const authorization = req.headers.authorization;
  if (!connection || !bearerTokenMatches(authorization, connection.token)) {
    return text(403, JSON.stringify(pluginTexts.authFailed + (authorization ? '' : STRIPPED_HEADER_HINT)));
  }
  if (!connection.enabled) return text(400, JSON.stringify(pluginTexts.syncOff));
  const call = parseStockCall(typeof req.body === 'string' ? req.body : '');
  if (!call.ok) return text(call.status, JSON.stringify(call.message));
  if (call.test) return text(200, pluginTextAnswer([pluginTexts.testOk]));

  const lines: string[] = [];
  if (!connection.warehouse) lines.push(pluginTexts.warehouseNotSet);
  const received: ReceivedItem[] = call.items.map((item) => {
    if (!connection.warehouse) return { item, skipped: pluginTexts.warehouseNotSet };
    if (!sameWarehouse(item.warehouse, connection.warehouse)) return { item, skipped: pluginTexts.warehouseMismatch(connection.warehouse, item) };
    return { item };
  });
  await recordStockCall(deps.db, connection.id, received);
  for (const r of received) {
    if (r.skipped) {
      if (connection.warehouse) lines.push(r.skipped);
    } else {
      const who = r.item.productCode ? `codul ${r.item.productCode}` : `numele ${r.item.productName}`;
      lines.push(`Stoc primit pentru produsul cu ${who}. Stoc nou: ${r.item.sentQuantity} (se actualizeaza in WooCommerce)`);
    }
  }
  for (const refusal of call.refused) lines.push(refusal.message);
  if (received.some((r) => !r.skipped)) deps.smartbillReceived?.(connection.id);
  return text(200, pluginTextAnswer(lines));
}
