import type { Command } from 'commander';
import type { EcomBudgetReport } from '../../activities/ecom/budget-report';
import { cliContext } from './context';

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The budget as printed: one line per window, the counters, the backlog and how long it takes. */
export function describeBudget(r: EcomBudgetReport): string {
  const scale = r.timeScale === 1 ? '' : `, time scale ${r.timeScale}: times below are real seconds`;
  const lines = [`request budget of ${r.connectionId}${r.budgetKey ? ` (${r.budgetKey}${scale})` : ''}`];
  if (r.windows.length === 0) lines.push('  no answer from the shop yet: windows not known');
  for (const w of r.windows) {
    lines.push(w.reset
      ? `  ${w.window}: ${w.used} of ${w.limit} used at the last answer; the window has started again since`
      : `  ${w.window}: ${w.used} of ${w.limit} used, ${w.remaining} remaining, resets in ${duration(w.resetInSeconds)}`);
  }
  lines.push(`  requests sent ${r.sent}, refused with 429 ${r.rateLimited}, in flight ${r.inFlight}`
    + (r.blockedForSeconds > 0 ? `; blocked by Retry-After for ${duration(r.blockedForSeconds)}` : ''));
  const { stockProducts, catalogProducts, requests } = r.backlog;
  lines.push(stockProducts + catalogProducts === 0
    ? '  backlog: empty'
    : `  backlog: ${stockProducts} stock-only and ${catalogProducts} catalog products queued (at most ${requests} requests); about ${duration(r.drainSeconds)} to send them at the current windows' pace`);
  return lines.join('\n');
}

/** `possync budget <connection>` (issue 10 point 8): read through the POS API, never calling the shop. */
export function registerBudgetCommands(program: Command): void {
  program.command('budget <connection>')
    .description("an eCom connection's request budget: used/remaining per window, 429s, the writer's backlog and the time to drain it")
    .action(async (connectionId: string, _o: unknown, cmd: Command) => {
      const ctx = cliContext(cmd);
      const res = await ctx.api.get(`/api/connections/${encodeURIComponent(connectionId)}/budget`);
      if (res.status !== 200) throw new Error(res.data?.message ?? `the POS API answered ${res.status}`);
      ctx.print(describeBudget(res.data), res.data);
    });
}
