import type { Command } from 'commander';
import { cliContext } from './context';

/** `possync tokens create|list|revoke`: the bearer tokens of the POS API (admin). */
export function registerTokenCommands(program: Command): void {
  const tokens = program.command('tokens').description('bearer tokens of the POS API: till (sales, refunds, exchanges, stock documents) or admin (everything)');
  tokens
    .command('create <name>')
    .description('create a token and print it once (only its SHA-256 is kept)')
    .requiredOption('--role <role>', 'till or admin')
    .action(async (name: string, o: { role: string }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const res = expect(await ctx.api.post('/api/tokens', { name, role: o.role }), 201);
      ctx.print(
        `token "${res.name}" (role ${res.role}), shown only now; send it as "authorization: Bearer <token>":\n${res.token}`,
        res,
      );
    });
  tokens
    .command('list')
    .description('every token: name, role, where it comes from, created and revoked')
    .action(async (_o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const res = expect(await ctx.api.get('/api/tokens'), 200);
      const rows = (res.tokens as { name: string; role: string; source: string; created_at: string | null; revoked_at: string | null }[]).map(
        (t) => `${t.name.padEnd(24)} ${t.role.padEnd(6)} ${t.source.padEnd(12)} ${t.revoked_at ? `revoked ${t.revoked_at}` : t.created_at ? `created ${t.created_at}` : ''}`,
      );
      ctx.print(rows.length ? rows.join('\n') : 'no tokens', res);
    });
  tokens
    .command('revoke <name>')
    .description('revoke a token: it is refused from then on (by other API processes within 5 s)')
    .action(async (name: string, _o, cmd: Command) => {
      const ctx = cliContext(cmd);
      const res = expect(await ctx.api.delete(`/api/tokens/${encodeURIComponent(name)}`), 200);
      ctx.print(res.already ? `token "${name}" was already revoked` : `token "${name}" revoked`, res);
    });
}

function expect(res: { status: number; data: any }, status: number) {
  if (res.status !== status) throw new Error(res.data?.message ?? `the POS API answered ${res.status}`);
  return res.data;
}
