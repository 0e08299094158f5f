import type { Problem } from './errors';

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** True when the error says the database cannot be reached (not that the request was wrong). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown[] } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  // The pool gave up waiting for a connection it could not open.
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && /Connection terminated|Client has encountered a connection error|connection is closed/i.test(e.message)) return true;
  return Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable);
}

/**
 * A refusal PostgreSQL makes about a value that got past validation (the last line of
 * defence: the schemas check ranges first). Answered 400; the transaction was rolled back.
 */
export function databaseValueProblem(err: unknown): Problem | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === '22003') {
    return { field: 'body', message: 'a number (a quantity, a resulting stock level or a total) is past the range the database can hold (whole numbers up to 2147483647)' };
  }
  if (code === '22021' || code === '22P05') return { field: 'body', message: 'a text contains a NUL byte or bytes that are not UTF-8' };
  return undefined;
}
