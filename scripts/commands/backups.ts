import type { Command } from 'commander';
import type { AxiosInstance } from 'axios';
import type { BackupSummary } from '../../activities/pos/backups';
import { cliContext } from './context';

export function registerBackupCommands(program: Command): void {
  program
    .command('backups')
    .description('the backups taken before imports: size, the import that made them, whether restored')
    .option('--limit <n>', 'at most this many, newest first (1-1000)', '100')
    .action(async (o: { limit: string }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const r = await backupList(ctx.api, o.limit);
      ctx.print(r.text, r.backups);
    });
}

type BackupAnswer = Omit<BackupSummary, 'created_at' | 'restored_at'> & { created_at: string; restored_at: string | null };

/** Issue 8 point 10: every backup with its size and the import that took it, read through the POS API. */
export async function backupList(api: AxiosInstance, limit = '100'): Promise<{ text: string; backups: BackupAnswer[] }> {
  const res = await api.get('/api/backups', { params: { limit } });
  if (res.status !== 200) throw new Error(res.data?.message ?? `the POS API answered ${res.status}`);
  const backups = res.data.backups as BackupAnswer[];
  if (backups.length === 0) return { text: 'no backups yet (an import takes one before it touches anything)', backups };
  const lines = backups.flatMap((b) => [
    `${b.id}  ${b.created_at}  ${b.connection_id ?? '-'}  ${b.products} products, ${b.inventory_rows} stock levels, ${kib(b.bytes)}${b.restored_at ? `  restored ${b.restored_at}` : ''}`,
    `  ${b.import ? `made by ${b.import.workflow_id} (import run ${b.import.run_id}, ${b.import.state})` : `made by: ${b.reason}`}; restore with: possync import restore ${b.id}`,
  ]);
  return { text: lines.join('\n'), backups };
}

const kib = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`);
