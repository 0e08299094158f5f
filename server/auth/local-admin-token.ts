import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/connection';
import { hashToken, newToken } from './tokens';

/** The admin token `npm start` keeps for the CLI, owner-only, in the data folder. */
export const LOCAL_ADMIN_NAME = 'local-admin';
export const localAdminTokenPath = (dataDir: string) => path.join(dataDir, 'admin-token');

export interface LocalAdminToken {
  path: string;
  /** Set only on the run that created it: printed once, then only the file has it. */
  created?: string;
  /** The token is in the file but was revoked in the database. */
  revoked: boolean;
}

/**
 * Makes sure the data folder holds an admin token the database knows. A token found in the
 * file is (re)registered when the database does not know it (a new database), but a revoked
 * one stays revoked: delete the file to get a new one at the next start.
 */
export async function ensureLocalAdminToken(db: Db, dataDir: string): Promise<LocalAdminToken> {
  const file = localAdminTokenPath(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  let token = readLocalAdminToken(dataDir);
  let created: string | undefined;
  if (!token) {
    token = newToken();
    try {
      fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
      created = token;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      token = readLocalAdminToken(dataDir)!; // another process of this data folder wrote it first
    }
  }
  fs.chmodSync(file, 0o600);
  const hash = hashToken(token).toString('hex');
  const row: { token_hash: string; revoked_at: Date | null } | undefined = await db('api_tokens').where({ name: LOCAL_ADMIN_NAME }).first('token_hash', 'revoked_at');
  if (row?.token_hash === hash) return { path: file, created, revoked: row.revoked_at !== null };
  await db('api_tokens')
    .insert({ name: LOCAL_ADMIN_NAME, role: 'admin', token_hash: hash })
    .onConflict('name').merge({ role: 'admin', token_hash: hash, revoked_at: null, created_at: db.fn.now() });
  return { path: file, created, revoked: false };
}

export function readLocalAdminToken(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(localAdminTokenPath(dataDir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
