import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { DATABASE_RETRY_AFTER_SECONDS, databaseValueProblem, isDatabaseUnavailable } from './database-errors';

export interface Problem {
  field: string;
  message: string;
  line?: number;
  column?: string;
}

/** A request the POS refuses: answered 400 (or the given status) with every problem named. */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
  constructor(public readonly problems: Problem[], public readonly status = 400) {
    super(problems.map((p) => `${p.line !== undefined ? `line ${p.line}, ` : ''}${p.field}: ${p.message}`).join('; '));
  }
}

export function problemsFromZod(err: ZodError, prefix = ''): Problem[] {
  return err.issues.map((i) => ({
    field: prefix + (i.path.length ? i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`)).join('') : 'body'),
    message: i.message,
  }));
}

export function parseWith<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } }, body: unknown): T {
  // PostgreSQL cannot store a NUL character in text or jsonb: name the field instead of failing there.
  const nul = pathWithNul(body);
  if (nul !== undefined) throw new BadRequestError([{ field: nul || 'body', message: 'must not contain a NUL byte (\\u0000)' }]);
  const r = schema.safeParse(body);
  if (!r.success) throw new BadRequestError(problemsFromZod(r.error));
  return r.data;
}

export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof BadRequestError) {
    void reply.status(err.status).send({ error: 'invalid_request', message: err.message, problems: err.problems });
    return;
  }
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON' || (fe.statusCode === 400 && /JSON/i.test(fe.message))) {
    void reply.status(400).send({ error: 'invalid_json', message: `the body is not valid JSON: ${fe.message}`, problems: [{ field: 'body', message: 'not valid JSON' }] });
    return;
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    void reply.status(fe.statusCode).send({ error: fe.code ?? 'bad_request', message: fe.message, problems: [{ field: 'body', message: fe.message }] });
    return;
  }
  if (isDatabaseUnavailable(err)) {
    req.log.warn({ err: String(err) }, 'database unavailable');
    void reply.status(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS)).send({
      error: 'unavailable',
      message: 'the database cannot be reached; retry later with the same Idempotency-Key (it makes the retry safe)',
    });
    return;
  }
  const valueProblem = databaseValueProblem(err);
  if (valueProblem) {
    void reply.status(400).send({ error: 'invalid_request', message: `${valueProblem.field}: ${valueProblem.message}`, problems: [valueProblem] });
    return;
  }
  req.log.error({ err }, 'request failed');
  void reply.status(500).send({ error: 'internal', message: 'the request failed; nothing was changed' });
}

/** The JSON path of the first string (or key) holding a NUL character, '' for the body itself. */
function pathWithNul(v: unknown, path = ''): string | undefined {
  if (typeof v === 'string') return v.includes('\u0000') ? path : undefined;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      const p = pathWithNul(x, `${path}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const here = path ? `${path}.${k}` : k;
      if (k.includes('\u0000')) return here;
      const p = pathWithNul(x, here);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}
