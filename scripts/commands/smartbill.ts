import type { Command } from 'commander';
import type { SmartBillCheck } from '../../activities/smartbill/operator';
import {
  smartbillCheckWorkflowId, smartbillPullProgressQuery, smartbillPullWorkflowId, type SmartBillPullResult,
} from '../../workflows/contracts/smartbill-apply';
import type { smartbillCheck, smartbillPull } from '../../workflows/smartbill-operator';
import { cliContext } from './context';
import { loadConfig } from '../../stack/config';
import { configuredConnections } from '../../stack/connection-set';

/** `possync smartbill …`: SmartBill connections (issue 12, M-D6, M-D7). Shops and SmartBill are reached by workflows, never from here. */
export function registerSmartBillCommands(program: Command): void {
  const sb = program.command('smartbill').description('SmartBill stock into WooCommerce: check the connection, pull stock, see what arrived');

  sb.command('test <connection>')
    .description("check SmartBill's API credentials and company, list the warehouses, and show what to paste into SmartBill")
    .action(async (connectionId: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const client = await ctx.temporal();
      const check = await client.workflow.execute<typeof smartbillCheck>('smartbillCheck', {
        workflowId: `${smartbillCheckWorkflowId(connectionId)}/${Date.now()}`, taskQueue: ctx.opts.taskQueue, args: [{ connectionId }],
      });
      const receiver = `${(ctx.opts.publicUrl ?? ctx.opts.api).replace(/\/+$/, '')}/smartbill/${connectionId}/stocks`;
      ctx.print(describeCheck(check, receiver, receiverToken(connectionId)), { ...check, receiverUrl: receiver });
    });

  sb.command('pull <connection>')
    .description("fetch the warehouse's current stock from SmartBill and apply it (at most every 5 minutes)")
    .option('--force', 'pull even if the last pull was less than 5 minutes ago', false)
    .action(async (connectionId: string, o: { force: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const client = await ctx.temporal();
      const handle = await client.workflow.start<typeof smartbillPull>('smartbillPull', {
        workflowId: smartbillPullWorkflowId(connectionId), taskQueue: ctx.opts.taskQueue, args: [{ connectionId, force: o.force }],
        workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      let last = '';
      const timer = setInterval(() => {
        handle.query(smartbillPullProgressQuery).then((p) => {
          if (p !== last && !ctx.opts.json) console.log(`  ${p}`);
          last = p;
        }, () => undefined);
      }, 1000);
      try {
        const result = await handle.result();
        ctx.print(describePull(result), result);
      } finally {
        clearInterval(timer);
      }
    });

  sb.command('report <connection>')
    .description('the last movements SmartBill sent (or a pull fetched) and what became of each')
    .option('--limit <n>', 'how many', '30')
    .option('--outcome <outcome>', 'only these: pending, applied, unchanged, superseded, skipped, not_found, ambiguous, not_managed, not_owner, refused')
    .action(async (connectionId: string, o: { limit: string; outcome?: string }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const res = await ctx.api.get(`/api/smartbill/${encodeURIComponent(connectionId)}/movements`, { params: { limit: o.limit, outcome: o.outcome } });
      if (res.status !== 200) throw new Error(`the POS API answered ${res.status}: ${JSON.stringify(res.data)}`);
      const lines = [
        `${connectionId}: ${Object.entries(res.data.totals).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing received yet'}`,
        ...res.data.movements.map((m: any) =>
          `  #${m.id} ${new Date(m.received_at).toISOString()} ${m.source === 'pull' ? 'pull ' : ''}${m.product_code || `"${m.product_name}"`} → ${m.quantity}` +
          `  ${m.outcome}${m.reason ? `: ${m.reason}` : ''}`),
      ];
      ctx.print(lines.join('\n'), res.data);
    });
}

/**
 * The token SmartBill must send: the connection's own API token, as the connections file names it, read from this
 * shell's environment (or file); when it cannot be read here, where it comes from.
 */
function receiverToken(connectionId: string): string {
  try {
    const spec = configuredConnections(loadConfig()).find((c) => c.id === connectionId);
    if (spec?.kind === 'smartbill' && spec.secrets.token) return spec.secrets.token;
  } catch (err) {
    return `your SmartBill API token (it could not be read here: ${(err as Error).message.split('\n')[0]})`;
  }
  return 'your SmartBill API token (the token secret of this connection in the connections file)';
}

function describeCheck(c: SmartBillCheck, receiver: string, token: string): string {
  return [
    `SmartBill accepted the credentials; warehouses: ${c.warehouses.join(', ') || '(none)'}`,
    c.problem ? `PROBLEM: ${c.problem}` : `watching warehouse: ${c.warehouse}`,
    'In SmartBill Cloud > Contul meu > Integrari > Sincronizare stocuri, paste:',
    `  URL:                ${receiver}`,
    `  Token autentificare: ${token}`,
  ].join('\n');
}

function describePull(r: SmartBillPullResult): string {
  if (!r.pulled) return `not pulled: the last pull was less than 5 minutes ago; next possible at ${r.nextAllowedAt} (--force pulls now)`;
  const o = r.outcomes;
  return `pulled ${r.items} items: ${o.applied ?? 0} updated, ${o.unchanged ?? 0} unchanged, ${o.not_found ?? 0} not found, ` +
    `${o.ambiguous ?? 0} ambiguous, ${o.not_managed ?? 0} not stock-managed` +
    `${o.not_owner ? `, ${o.not_owner} owned by the POS` : ''}${o.refused ? `, ${o.refused} refused` : ''}${o.superseded ? `, ${o.superseded} superseded` : ''}`;
}
