import type { Command } from 'commander';
import { stockAggregationRunId, type StockAggregationResult } from '../../workflows/contracts/stock-aggregation';
import type { stockAggregation } from '../../workflows/stock-aggregation';
import { cliContext } from './context';

export function describeAggregation(r: StockAggregationResult): string {
  if (r.mode === 'skipped') return `${r.connectionId} is not an active shop connection: nothing compared`;
  const lines = [`stock aggregation of ${r.connectionId} (${r.mode}): ${r.compared} items compared, ${r.differed} differed, ${r.queued} queued`];
  if (r.movements) lines.push(`  stock movements read: ids ${r.movements.after} < id <= ${r.movements.upTo}`);
  if (r.drift) lines.push(`  shop comparison (drift report ${r.drift.reportId}): ${r.drift.differs} differ, ${r.drift.unlinked} unlinked, ${r.drift.missing} missing`);
  return lines.join('\n');
}

/** `possync aggregate <connection> [--full]` (issue 11): one stock aggregation run now, beside the connection's schedule. */
export function registerAggregateCommands(program: Command): void {
  program.command('aggregate <connection>')
    .description("compare the stock summed over the connection's outlets with what its shop was last given and queue the differences")
    .option('--full', 'compare every linked item (default: the items whose stock moved since the last runs)')
    .action(async (connectionId: string, o: { full?: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const client = await ctx.temporal();
      const result = await client.workflow.execute<typeof stockAggregation>('stockAggregation', {
        workflowId: stockAggregationRunId(connectionId, Date.now()),
        taskQueue: ctx.opts.taskQueue,
        args: [{ connectionId, mode: o.full ? 'full' : 'incremental' }],
        workflowExecutionTimeout: '1 hour',
      });
      ctx.print(describeAggregation(result), result);
    });
}
