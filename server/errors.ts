import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';

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
  req.log.error({ err }, 'request failed');
  void reply.status(500).send({ error: 'internal', message: 'the request failed; nothing was changed' });
}
