import net from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CSV_WRITES } from './route-access';
import type { SecurityConfig } from './settings';

/**
 * What keeps a web page of another site from using the API through a user's browser:
 * the Host check (DNS rebinding), closed CORS, and no writes with a content type a page
 * may send without a preflight.
 */
export interface Refusal {
  status: number;
  body: { error: string; message: string; problems?: { field: string; message: string }[]; required_role?: string };
}

/** A rebinding attack reaches us under its own domain name: IP literals and localhost never carry one. */
export function hostRefusal(hostHeader: string | undefined, security: SecurityConfig): Refusal | undefined {
  if (!hostHeader || security.allowedHosts.includes('*')) return undefined;
  const hostname = hostnameOf(hostHeader);
  if (net.isIP(hostname) || hostname === 'localhost' || hostname.endsWith('.localhost') || security.allowedHosts.includes(hostname)) return undefined;
  return {
    status: 421,
    body: {
      error: 'unknown_host',
      message: `this API does not answer to Host "${hostname}"; add it to POSSYNC_ALLOWED_HOSTS if it is yours`,
      problems: [{ field: 'Host', message: 'not one of the configured host names' }],
    },
  };
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isWrite = (method: string) => WRITE_METHODS.has(method);

/**
 * CORS headers for an allowed origin; a preflight is answered here (204 when allowed, 403 when not),
 * and a write from a page of another origin that is not allowed is refused.
 */
export function corsRefusal(req: FastifyRequest, reply: FastifyReply, security: SecurityConfig): Refusal | 'preflight-ok' | undefined {
  const origin = req.headers.origin;
  const allowed = typeof origin === 'string' && security.corsOrigins.includes(origin.toLowerCase());
  if (allowed) {
    void reply.header('access-control-allow-origin', origin).header('vary', 'Origin').header('access-control-expose-headers', 'idempotent-replayed, retry-after');
  }
  const closed: Refusal = {
    status: 403,
    body: { error: 'cors_closed', message: `requests from the web page ${String(origin ?? '(no origin)')} are not allowed; an operator lists allowed origins in POSSYNC_CORS_ORIGINS` },
  };
  if (req.method === 'OPTIONS') {
    if (!allowed || !req.headers['access-control-request-method']) return closed;
    void reply
      .header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE')
      .header('access-control-allow-headers', 'authorization, content-type, idempotency-key')
      .header('access-control-max-age', '600');
    return 'preflight-ok';
  }
  if (typeof origin === 'string' && !allowed && isWrite(req.method) && !sameOrigin(origin, req.headers.host)) return closed;
  return undefined;
}

/** The content types a browser sends cross-site without asking first (a CORS "simple" request). */
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

export function contentTypeRefusal(req: FastifyRequest, route: string | undefined): Refusal | undefined {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  // An empty body (axios sends one as a form) carries nothing to forge; the token guards the action.
  if (!hasBody || (type !== '' && !SIMPLE_TYPES.has(type))) return undefined;
  const csv = route !== undefined && CSV_WRITES.has(`${req.method} ${route}`);
  const message = `Content-Type ${type || '(none)'} is not accepted for writes; send ${csv ? 'text/csv' : 'application/json'}`;
  return { status: 415, body: { error: 'unsupported_media_type', message, problems: [{ field: 'Content-Type', message }] } };
}

function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
