import type { Command } from 'commander';
import { describeReport, ensureWebhookHealthSchedule, ensureWebhooksNow } from '../../stack/webhook-health-starter';
import { webhookHealthScheduleId } from '../../workflows/contracts/webhook-health';
import { cliContext } from './context';
import { loadConfig } from '../../stack/config';
import { readKeptWebhookSecret, webhookSecretFile } from '../../stack/webhook-secret-store';

/** Issue 9: a secret generated once for a connection lives in the data folder of the npm start this CLI belongs to. */
function keptSecretOf(connectionId: string): { file: string; secret: string } | undefined {
  let dataDir: string;
  try {
    dataDir = loadConfig().dataDir;
  } catch {
    return undefined;
  }
  const secret = readKeptWebhookSecret(dataDir, connectionId);
  return secret ? { file: webhookSecretFile(dataDir, connectionId), secret } : undefined;
}

export function registerWebhookCommands(program: Command): void {
  const hooks = program.command('webhooks').description("the shop's order webhooks that possync keeps active");
  hooks
    .command('ensure <connectionId>')
    .description('create the order webhooks, or repair them (status active, delivery URL, secret), and keep checking them (Schedule webhook-health/<connection>)')
    .action(async (connectionId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const connections = await ctx.api.get('/api/connections');
      if (connections.status === 200 && Array.isArray(connections.data?.connections)
        && !connections.data.connections.some((c: { id: string }) => c.id === connectionId)) {
        throw new Error(`no connection "${connectionId}"`);
      }
      const client = await ctx.temporal();
      const report = await ensureWebhooksNow(client, ctx.opts.taskQueue, connectionId);
      const every = ctx.opts.webhookCheckSeconds ?? 300;
      await ensureWebhookHealthSchedule(client, ctx.opts.taskQueue, connectionId, every);
      const kept = keptSecretOf(connectionId);
      const secretLine = kept
        ? `signed with the secret generated for it, kept in ${kept.file}: ${kept.secret}`
        : 'signed with the configured secret (webhook_secret in the connections file, or WOO_WEBHOOK_SECRET)';
      ctx.print(
        `${describeReport(report)}\n${secretLine}\nchecked every ${every} s by the Schedule ${webhookHealthScheduleId(connectionId)}`,
        { ...report, checkEverySeconds: every, secretFile: kept?.file, secret: kept?.secret },
      );
    });
}
