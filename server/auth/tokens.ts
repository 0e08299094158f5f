import crypto from 'node:crypto';
import type { Db } from '../../db/connection';
import type { EnvToken, Role } from './settings';

export interface TokenIdentity {
  name: string;
  role: Role;
  source: 'environment' | 'database';
}

export interface TokenRow {
  name: string;
  role: Role;
  created_at: Date;
  revoked_at: Date | null;
}

/** 32 random bytes: a token nobody guesses, so a plain SHA-256 of it is enough to store. */
export function newToken(): string {
  return `pst_${crypto.randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token, 'utf8').digest();
}

export const TOKEN_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/;

/** A database token stays trusted this long after its last check, so revoking it reaches other API processes within it. */
const CACHE_MS = 5_000;

/**
 * Who holds a bearer token. Environment tokens are compared by hash in constant time; database
 * tokens are found by the SHA-256 of the token (a lookup by hash tells nothing about the token).
 */
export class TokenStore {
  private readonly env: { hash: Buffer; identity: TokenIdentity }[];
  private readonly cache = new Map<string, { identity: TokenIdentity; until: number }>();

  constructor(private readonly db: Db, envTokens: EnvToken[]) {
    this.env = envTokens.map((t) => ({ hash: hashToken(t.token), identity: { name: t.name, role: t.role, source: 'environment' } }));
  }

  async identify(token: string): Promise<TokenIdentity | undefined> {
    const hash = hashToken(token);
    let found: TokenIdentity | undefined;
    for (const e of this.env) if (crypto.timingSafeEqual(e.hash, hash)) found = e.identity;
    if (found) return found;
    const key = hash.toString('hex');
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.identity;
    this.cache.delete(key);
    const row: { name: string; role: Role } | undefined = await this.db('api_tokens').where({ token_hash: key }).whereNull('revoked_at').first('name', 'role');
    if (!row) return undefined;
    const identity: TokenIdentity = { name: row.name, role: row.role, source: 'database' };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { identity, until: Date.now() + CACHE_MS });
    return identity;
  }

  envTokens(): TokenIdentity[] {
    return this.env.map((e) => e.identity);
  }

  /** Creates a token; undefined when the name is taken (revoked names stay taken). */
  async create(name: string, role: Role): Promise<string | undefined> {
    const token = newToken();
    const inserted = await this.db('api_tokens')
      .insert({ name, role, token_hash: hashToken(token).toString('hex') })
      .onConflict('name').ignore().returning('id');
    return inserted.length > 0 ? token : undefined;
  }

  async list(): Promise<TokenRow[]> {
    return this.db('api_tokens').select('name', 'role', 'created_at', 'revoked_at').orderBy('id');
  }

  /** 'revoked', 'already' (revoked before) or 'unknown'. */
  async revoke(name: string): Promise<'revoked' | 'already' | 'unknown'> {
    const row: { token_hash: string; revoked_at: Date | null } | undefined = await this.db('api_tokens').where({ name }).first('token_hash', 'revoked_at');
    if (!row) return 'unknown';
    this.cache.delete(row.token_hash);
    if (row.revoked_at) return 'already';
    await this.db('api_tokens').where({ name }).whereNull('revoked_at').update({ revoked_at: this.db.fn.now() });
    return 'revoked';
  }
}
