import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config';
import type { ConnectionSpec } from './connection-spec';

/**
 * The connections file (issue 9): YAML or JSON, any number of connections. Secrets are never in
 * it: each is named by the environment variable or the file that holds it, and resolved here.
 */
const idPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

const secretRef = z.union(
  [
    z.object({ env: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict(),
    z.object({ file: z.string().trim().min(1) }).strict(),
  ],
  { error: 'a secret is never written in the file: name the environment variable ({env: NAME}) or the file ({file: path}) that holds it' },
);
type SecretRef = z.infer<typeof secretRef>;

const register = z.union([
  z.number().int().positive(),
  z.string().trim().min(1).max(200),
  z.object({ name: z.string().trim().min(1).max(200), outlet: z.string().trim().min(1).max(200).optional() }).strict(),
]);

const url = z.string().trim().regex(/^https?:\/\/[^\s/]+/, 'must be an http(s) URL');

const common = {
  id: z.string().trim().regex(idPattern, 'must be lowercase letters, digits and dashes (at most 63)'),
  name: z.string().trim().min(1).max(200).optional(),
  register: register.optional(),
  start_date: z.union([z.date(), z.iso.datetime({ offset: true }), z.iso.date()]).optional(),
  outlets: z.array(z.string().trim().min(1)).optional(),
  language: z.string().trim().regex(/^[a-z]{2}(?:[-_][A-Za-z]{2})?$/, 'must be a language code such as nl or nl-BE').optional(),
  warehouse: z.string().trim().min(1).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
};

const woocommerce = z
  .object({
    ...common,
    kind: z.literal('woocommerce'),
    sandbox: z.boolean().optional(),
    url: url.optional(),
    consumer_key: secretRef.optional(),
    consumer_secret: secretRef.optional(),
    webhook_secret: secretRef.optional(),
    stock_owner: z.enum(['pos', 'shop']).optional(),
  })
  .strict();

const ecom = z
  .object({
    ...common, kind: z.literal('ecom'),
    /** Runs against an eCom sandbox embedded in this process (its own key and secret). */
    sandbox: z.boolean().optional(),
    /** The cluster base, e.g. https://api.webshopapp.com (eu1) or https://api.shoplightspeed.com (us1). */
    url: url.optional(),
    api_key: secretRef.optional(),
    api_secret: secretRef.optional(),
  })
  .strict();
const smartbill = z
  .object({
    ...common, kind: z.literal('smartbill'), url: url.optional(), username: z.string().trim().min(1), token: secretRef,
    company_vat: z.string().trim().min(1),
    /** The WooCommerce connection whose stock SmartBill sets. */
    shop_connection: z.string().trim().regex(idPattern, 'must be the id of a woocommerce connection'),
    stock_owner: z.enum(['pos', 'smartbill']).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    connections: z.array(z.discriminatedUnion('kind', [woocommerce, ecom, smartbill], {
      error: (issue) => (issue.code === 'invalid_union' ? 'must be one of woocommerce, ecom, smartbill' : undefined),
    })),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const [i, c] of file.connections.entries()) {
      if (c.kind === 'woocommerce' && !c.sandbox) {
        for (const field of ['url', 'consumer_key', 'consumer_secret'] as const) {
          if (c[field] === undefined) ctx.addIssue({ code: 'custom', path: ['connections', i, field], message: 'is required for a WooCommerce store (or say sandbox: true)' });
        }
      }
      if (c.kind === 'ecom' && !c.sandbox) {
        for (const field of ['url', 'api_key', 'api_secret'] as const) {
          if (c[field] === undefined) ctx.addIssue({ code: 'custom', path: ['connections', i, field], message: 'is required for a Lightspeed eCom shop (or say sandbox: true)' });
        }
      }
    }
  });

type FileConnection = z.infer<typeof fileSchema>['connections'][number];

/** Reads, validates and resolves the file; every problem names the connection and the field. */
export function loadConnectionsFile(file: string, env: NodeJS.ProcessEnv = process.env): ConnectionSpec[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the connections file ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new ConfigError(`the connections file ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${where(raw, i.path)}: ${i.message}`);
    throw new ConfigError(`Invalid connections file ${file}:\n${lines.join('\n')}`);
  }
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const [i, c] of parsed.data.connections.entries()) {
    if (seen.has(c.id)) problems.push(`  - connection ${c.id} (connections[${i}]).id: declared twice`);
    seen.add(c.id);
  }
  const specs = parsed.data.connections.map((c) => toSpec(c, path.dirname(file), env, problems));
  if (problems.length) throw new ConfigError(`Invalid connections file ${file}:\n${problems.join('\n')}`);
  return specs;
}

/** `connection woo-be (connections[1]).url`: the id when the entry has one, and the field. */
function where(raw: unknown, p: PropertyKey[]): string {
  if (p[0] !== 'connections' || typeof p[1] !== 'number') return p.map(String).join('.') || 'file';
  const entry = (raw as { connections?: unknown[] })?.connections?.[p[1]] as { id?: unknown } | undefined;
  const name = typeof entry?.id === 'string' ? `connection ${entry.id} (connections[${p[1]}])` : `connections[${p[1]}]`;
  return p.length > 2 ? `${name}.${p.slice(2).map(String).join('.')}` : name;
}

function toSpec(c: FileConnection, baseDir: string, env: NodeJS.ProcessEnv, problems: string[]): ConnectionSpec {
  const secret = (field: string, ref: SecretRef | undefined): string | undefined => {
    if (!ref) return undefined;
    const value = resolveSecret(ref, baseDir, env);
    if (value === undefined) {
      problems.push(`  - connection ${c.id}.${field}: ${'env' in ref ? `the environment variable ${ref.env}` : `the file ${path.resolve(baseDir, ref.file)}`} is not set or empty`);
    }
    return value;
  };
  const settings: Record<string, unknown> = { ...c.settings };
  for (const key of ['outlets', 'language', 'warehouse'] as const) if (c[key] !== undefined) settings[key] = c[key];
  if (c.kind !== 'ecom' && c.stock_owner !== undefined) settings.stock_owner = c.stock_owner;
  const base = {
    id: c.id,
    name: c.name ?? c.id,
    register: typeof c.register === 'object' ? c.register : typeof c.register === 'number' ? { id: c.register } : c.register ? { name: c.register } : {},
    startDate: c.start_date === undefined ? undefined : new Date(c.start_date),
    settings,
  };
  if (c.kind === 'woocommerce') {
    const consumerKey = secret('consumer_key', c.consumer_key);
    const consumerSecret = secret('consumer_secret', c.consumer_secret);
    if (consumerKey && !consumerKey.startsWith('ck_')) problems.push(`  - connection ${c.id}.consumer_key: the key must start with ck_`);
    if (consumerSecret && !consumerSecret.startsWith('cs_')) problems.push(`  - connection ${c.id}.consumer_secret: the secret must start with cs_`);
    return {
      ...base, kind: c.kind, sandbox: c.sandbox === true, url: c.url?.replace(/\/+$/, ''),
      credentials: consumerKey && consumerSecret ? { consumerKey, consumerSecret } : undefined,
      webhookSecret: secret('webhook_secret', c.webhook_secret),
    };
  }
  if (c.kind === 'ecom') {
    const apiKey = secret('api_key', c.api_key);
    const apiSecret = secret('api_secret', c.api_secret);
    // The API refuses other lengths; said here, before anything runs.
    if (apiKey && apiKey.length !== 32) problems.push(`  - connection ${c.id}.api_key: a Lightspeed eCom API key is 32 characters`);
    if (apiSecret && apiSecret.length !== 32) problems.push(`  - connection ${c.id}.api_secret: a Lightspeed eCom API secret is 32 characters`);
    if (c.language !== undefined && !/^[a-z]{2}$/.test(c.language)) problems.push(`  - connection ${c.id}.language: a shop language is two lowercase letters, e.g. nl`);
    return {
      ...base, kind: c.kind, sandbox: c.sandbox === true, url: c.url?.replace(/\/+$/, ''),
      settings: { ...settings, language: c.language ?? 'nl' },
      secrets: { ...(apiKey ? { api_key: apiKey } : {}), ...(apiSecret ? { api_secret: apiSecret } : {}) },
    };
  }
  const token = secret('token', c.token);
  return {
    ...base, kind: c.kind, sandbox: false, url: c.url?.replace(/\/+$/, ''),
    settings: { ...settings, username: c.username, company_vat: c.company_vat, shop_connection: c.shop_connection, enabled: c.enabled ?? true },
    secrets: token ? { token } : {},
  };
}

function resolveSecret(ref: SecretRef, baseDir: string, env: NodeJS.ProcessEnv): string | undefined {
  if ('env' in ref) return env[ref.env]?.trim() || undefined;
  try {
    return fs.readFileSync(path.resolve(baseDir, ref.file), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export const DEFAULT_CONNECTIONS_FILE = 'possync.connections.yaml';
