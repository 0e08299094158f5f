// Reading request bodies and writing JSON the way WordPress encodes it (wp_json_encode escapes
// slashes and non-ASCII characters).
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON.stringify with PHP json_encode's escaping: "\/" and \uXXXX for non-ASCII. */
export function wpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function send(res: ServerResponse, answer: HttpAnswer): void {
  if (res.writableEnded || res.destroyed) return;
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { ...answer.headers, 'Content-Length': String(body.length) });
  res.end(body);
}
