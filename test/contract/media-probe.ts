import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ContractStore } from './store';

const run = promisify(execFile);

/**
 * The media library of a contract store, as a merchant sees it: the sandbox's state, or the
 * real store's database through WOO_CONTRACT_MYSQL (e.g. `mariadb -h127.0.0.1 -P3317 -uwp -pwp wp`).
 */
export interface MediaProbe {
  available: boolean;
  /** Attachments in the media library. */
  count(): Promise<number>;
  /** A merchant deleting an attachment in wp-admin. */
  delete(id: number): Promise<void>;
}

async function sql(query: string): Promise<string> {
  const cmd = process.env.WOO_CONTRACT_MYSQL ?? '';
  const { stdout } = await run('bash', ['-c', `${cmd} -N -B -e "$1"`, 'sql', query], { timeout: 30_000 });
  return stdout.trim();
}

export function mediaProbe(store: ContractStore): MediaProbe {
  if (store.sandbox) {
    const s = store.sandbox;
    return {
      available: true,
      count: async () => s.state.attachments().length,
      delete: async (id) => s.state.deleteAttachment(id),
    };
  }
  return {
    available: !!process.env.WOO_CONTRACT_MYSQL,
    count: async () => Number(await sql("SELECT COUNT(*) FROM wp_posts WHERE post_type = 'attachment'")),
    delete: async (id) => {
      const n = Number(id);
      await sql(`DELETE FROM wp_postmeta WHERE post_id = ${n}; DELETE FROM wp_posts WHERE ID = ${n} AND post_type = 'attachment'`);
    },
  };
}
