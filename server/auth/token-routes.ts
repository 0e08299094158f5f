import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseWith } from '../errors';
import { ROLES, type Role } from './settings';
import { TOKEN_NAME, type TokenStore } from './tokens';

const createSchema = z.object({
  name: z.string().regex(TOKEN_NAME, 'letters, digits, . _ - (at most 63), starting with a letter or digit'),
  role: z.enum(ROLES as [Role, ...Role[]]),
}).strict();

/** Admin only (server/auth/route-access.ts): create, list and revoke API tokens. The token is shown once, at creation. */
export function registerTokenRoutes(app: FastifyInstance, tokens: TokenStore): void {
  app.post('/api/tokens', async (req, reply) => {
    const { name, role } = parseWith(createSchema, req.body);
    const token = await tokens.create(name, role);
    if (!token) return reply.status(409).send({ error: 'conflict', message: `a token named "${name}" exists (revoked names stay taken)`, problems: [{ field: 'name', message: 'already used' }] });
    return reply.status(201).send({ name, role, token });
  });

  app.get('/api/tokens', async () => ({
    tokens: [
      ...tokens.envTokens().map((t) => ({ name: t.name, role: t.role, source: t.source, created_at: null, revoked_at: null })),
      ...(await tokens.list()).map((t) => ({ ...t, source: 'database' })),
    ],
  }));

  app.delete<{ Params: { name: string } }>('/api/tokens/:name', async (req, reply) => {
    const outcome = await tokens.revoke(req.params.name);
    if (outcome === 'unknown' && tokens.envTokens().some((t) => t.name === req.params.name)) {
      return reply.status(409).send({ error: 'conflict', message: `"${req.params.name}" comes from the environment (POSSYNC_ADMIN_TOKEN / POSSYNC_API_TOKENS); remove it there` });
    }
    if (outcome === 'unknown') return reply.status(404).send({ error: 'not_found', message: `no token named "${req.params.name}"` });
    return { name: req.params.name, revoked: true, already: outcome === 'already' };
  });
}
