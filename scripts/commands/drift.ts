import type { Command } from 'commander';
import { DRIFT_KINDS, driftWorkflowId, type DriftItem, type DriftKind, type DriftResult } from '../../workflows/contracts/drift';
import type { drift } from '../../workflows/drift';
import { cliContext } from './context';

const KIND_TITLES: Record<DriftKind, string> = {
  differs: 'linked items that differ from what the POS would push',
  unlinked: 'shop products with a POS SKU that are not linked',
  missing: 'linked products missing in the shop',
};

const show = (v: unknown): string => (v === undefined ? '' : v === null ? 'null' : v === '' ? '""' : String(v));

function itemLine(i: DriftItem): string {
  const at = i.remote_id === null ? '' : ` (shop #${i.remote_id})`;
  if (i.kind !== 'differs') return `  ${i.sku}${at}`;
  const fields = i.fields.map((f) => (i.shop && i.pos && f in i.pos ? `${f} shop ${show(i.shop[f])} / POS ${show(i.pos[f])}` : f));
  return `  ${i.sku}${at}: ${fields.join('; ')}`;
}

/** The report as printed: every item under its kind, then a summary line per kind. */
export function describeDrift(r: DriftResult, items: DriftItem[]): string {
  const lines: string[] = [];
  for (const kind of DRIFT_KINDS) {
    const of = items.filter((i) => i.kind === kind);
    if (of.length > 0) lines.push(`${KIND_TITLES[kind]}:`, ...of.map(itemLine));
  }
  lines.push(`drift report ${r.reportId} of ${r.connectionId}: ${r.shopProducts} shop products read in ${r.requests} requests (${r.pages} pages)`);
  for (const kind of DRIFT_KINDS) lines.push(`  ${kind}: ${r.counts[kind]}`);
  if (r.repaired) {
    lines.push(`repaired: ${r.repaired.queued} queued for the batched push (${r.repaired.relinked} of them relinked by SKU), ${r.repaired.recreated} handed to their push saga to be created again`
      + (r.repaired.leftAlone ? `, ${r.repaired.leftAlone} left alone (the SKU is linked to another shop product: a duplicate to delete in the shop)` : ''));
  } else if (DRIFT_KINDS.some((k) => r.counts[k] > 0)) {
    lines.push(`possync drift ${r.connectionId} --repair pushes the POS values for these`);
  }
  return lines.join('\n');
}

/** `possync drift <connection> [--sku …] [--repair] [--json]` (issue 11): through the `drift` workflow, never calling a shop itself. */
export function registerDriftCommands(program: Command): void {
  program.command('drift <connection>')
    .description('what a shop holds otherwise than the POS would push; --repair pushes the POS values for exactly those')
    .option('--sku <sku>', "only this product's SKU (or a variant's)")
    .option('--repair', 'push the POS values for what is found (relink or recreate what is missing)')
    .action(async (connectionId: string, o: { sku?: string; repair?: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const client = await ctx.temporal();
      const result = await client.workflow.execute<typeof drift>('drift', {
        workflowId: driftWorkflowId(connectionId, Date.now()),
        taskQueue: ctx.opts.taskQueue,
        args: [{ connectionId, sku: o.sku, repair: o.repair === true }],
        workflowExecutionTimeout: '30 minutes',
      });
      const res = await ctx.api.get(`/api/drift-reports/${result.reportId}`);
      if (res.status !== 200) throw new Error(`the POS API answered ${res.status}: ${JSON.stringify(res.data)}`);
      ctx.print(describeDrift(result, res.data.items), { ...result, items: res.data.items });
    });
}
