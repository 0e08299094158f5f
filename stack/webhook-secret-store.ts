import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Issue 9: a connection configured without a webhook secret gets one generated once and kept in
 * the data folder (owner-only), so the shop's webhooks keep verifying across restarts.
 */
export function webhookSecretFile(dataDir: string, connectionId: string): string {
  return path.join(dataDir, 'webhook-secrets', connectionId);
}

export function readKeptWebhookSecret(dataDir: string, connectionId: string): string | undefined {
  try {
    return fs.readFileSync(webhookSecretFile(dataDir, connectionId), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function keptWebhookSecret(dataDir: string, connectionId: string): string {
  const existing = readKeptWebhookSecret(dataDir, connectionId);
  if (existing) return existing;
  const file = webhookSecretFile(dataDir, connectionId);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(24).toString('base64url');
  // 'wx': two starts racing keep the first one written.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readKeptWebhookSecret(dataDir, connectionId) ?? secret;
  }
  return secret;
}
