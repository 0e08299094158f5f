import { z } from 'zod';

export type Role = 'till' | 'admin';
export const ROLES: readonly Role[] = ['till', 'admin'];

/** Who may read GET /metrics: loopback clients without a token (default), only token holders, or anyone. */
export type MetricsAccess = 'local' | 'token' | 'public';

export interface EnvToken {
  name: string;
  role: Role;
  token: string;
}

export interface SecurityConfig {
  /** Tokens given in the environment (POSSYNC_ADMIN_TOKEN, POSSYNC_API_TOKENS); never stored. */
  envTokens: EnvToken[];
  /** The token the CLI sends (POSSYNC_TOKEN); unset: the local admin token in the data folder. */
  cliToken?: string;
  /** Host names the API answers to (DNS rebinding); IP literals and localhost always pass. '*' allows any. */
  allowedHosts: string[];
  /** Browser origins allowed to call the API (POSSYNC_CORS_ORIGINS); empty: CORS closed. */
  corsOrigins: string[];
  metricsAccess: MetricsAccess;
}

const MIN_TOKEN_LENGTH = 24;
const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

/** Spread into the environment schema of stack/config.ts. */
export const securityEnvShape = {
  POSSYNC_ADMIN_TOKEN: z.string().trim().optional()
    .refine((v) => !v || v.length >= MIN_TOKEN_LENGTH, { message: `POSSYNC_ADMIN_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)` }),
  POSSYNC_API_TOKENS: z.string().trim().optional().superRefine((v, ctx) => {
    for (const entry of list(v)) {
      const problem = envTokenProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: `POSSYNC_API_TOKENS entry "${entry.split(':')[0]}": ${problem}` });
    }
  }),
  POSSYNC_TOKEN: z.string().trim().optional(),
  POSSYNC_ALLOWED_HOSTS: z.string().trim().optional(),
  POSSYNC_CORS_ORIGINS: z.string().trim().optional().superRefine((v, ctx) => {
    for (const o of list(v)) {
      if (!/^https?:\/\/[^\s/]+$/.test(o)) ctx.addIssue({ code: 'custom', message: `POSSYNC_CORS_ORIGINS: "${o}" is not an origin like https://pos.example.com` });
    }
  }),
  POSSYNC_METRICS_ACCESS: z.enum(['local', 'token', 'public']).default('local'),
};

type SecurityEnv = z.output<z.ZodObject<typeof securityEnvShape>> & {
  HTTP_HOST: string;
  POSSYNC_PUBLIC_URL?: string;
  POSSYNC_API_URL?: string;
};

function envTokenProblem(entry: string): string | undefined {
  const [name, role, ...rest] = entry.split(':');
  const token = rest.join(':');
  if (!name || !/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/.test(name)) return 'write name:role:token (name of letters, digits, . _ -)';
  if (!ROLES.includes(role as Role)) return `role must be till or admin, not "${role ?? ''}"`;
  if (token.length < MIN_TOKEN_LENGTH) return `the token must be at least ${MIN_TOKEN_LENGTH} characters`;
  return undefined;
}

export function securityConfig(e: SecurityEnv): SecurityConfig {
  const envTokens: EnvToken[] = list(e.POSSYNC_API_TOKENS).map((entry) => {
    const [name, role, ...rest] = entry.split(':');
    return { name: name!, role: role as Role, token: rest.join(':') };
  });
  if (e.POSSYNC_ADMIN_TOKEN) envTokens.push({ name: 'env-admin', role: 'admin', token: e.POSSYNC_ADMIN_TOKEN });
  const configuredHosts = [e.HTTP_HOST, urlHost(e.POSSYNC_PUBLIC_URL), urlHost(e.POSSYNC_API_URL), ...list(e.POSSYNC_ALLOWED_HOSTS)];
  return {
    envTokens,
    cliToken: e.POSSYNC_TOKEN || undefined,
    allowedHosts: [...new Set(configuredHosts.filter((h): h is string => !!h).map((h) => h.toLowerCase().replace(/^\[|\]$/g, '')))],
    corsOrigins: list(e.POSSYNC_CORS_ORIGINS).map((o) => o.toLowerCase()),
    metricsAccess: e.POSSYNC_METRICS_ACCESS,
  };
}

/** What buildServer assumes when it is given no configuration: closed. */
export const CLOSED_SECURITY: SecurityConfig = { envTokens: [], allowedHosts: [], corsOrigins: [], metricsAccess: 'local' };

function urlHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
