import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contentTypeRefusal, corsRefusal, hostRefusal, isWrite, type Refusal } from './browser-guard';
import { requiredAccess } from './route-access';
import type { Role, SecurityConfig } from './settings';
import type { TokenIdentity, TokenStore } from './tokens';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request (its bearer token), once the guard has checked it. */
    caller?: TokenIdentity;
  }
}

const REALM = 'Bearer realm="possync"';

/**
 * One hook before any route (and before the body is read): Host, CORS, the bearer token and
 * its role, then the content type of a write. The order means a caller without a token learns
 * nothing about a route but that it needs one.
 */
export function registerAuthGuard(app: FastifyInstance, tokens: TokenStore, security: SecurityConfig): void {
  app.decorateRequest('caller', undefined);
  app.addHook('onRequest', async (req, reply) => {
    const refusal = hostRefusal(req.headers.host, security) ?? corsRefusal(req, reply, security);
    if (refusal === 'preflight-ok') return reply.status(204).send();
    if (refusal) return refuse(reply, refusal);

    const route = req.routeOptions.url;
    const access = requiredAccess(req.method, route, req.url.split('?')[0]!);
    if (access === 'public' || access === 'signed') return;
    if (access === 'metrics' && (security.metricsAccess === 'public' || (security.metricsAccess === 'local' && isLoopback(req.socket.remoteAddress)))) return;

    const needed: Role = access === 'admin' ? 'admin' : 'till';
    const denied = await tokenRefusal(req, reply, tokens, needed);
    if (denied) return refuse(reply, denied);
    if (isWrite(req.method)) {
      const badType = contentTypeRefusal(req, route);
      if (badType) return refuse(reply, badType);
    }
  });
}

async function tokenRefusal(req: FastifyRequest, reply: FastifyReply, tokens: TokenStore, needed: Role): Promise<Refusal | undefined> {
  const what = `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
  if (!match) {
    void reply.header('www-authenticate', REALM);
    return { status: 401, body: { error: 'unauthorized', message: `${what} needs a bearer token (Authorization: Bearer <token>) of role ${needed === 'till' ? 'till or admin' : needed}` } };
  }
  const caller = await tokens.identify(match[1]!);
  if (!caller) {
    void reply.header('www-authenticate', `${REALM}, error="invalid_token"`);
    return { status: 401, body: { error: 'invalid_token', message: 'the bearer token is unknown or revoked' } };
  }
  req.caller = caller;
  if (needed === 'admin' && caller.role !== 'admin') {
    return { status: 403, body: { error: 'forbidden', message: `${what} needs the admin role; token "${caller.name}" has role ${caller.role}`, required_role: needed } };
  }
  return undefined;
}

function refuse(reply: FastifyReply, r: Refusal) {
  return reply.status(r.status).send(r.body);
}


function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}
