import { TextDecoder } from 'node:util';
import { BadRequestError } from './errors';

const UTF8 = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

/**
 * The text of an uploaded CSV. UTF-8 unless the Content-Type declares another charset (which is
 * honoured, e.g. `text/csv; charset=iso-8859-1`). Bytes that are not valid in the charset are
 * refused with their line and column, never stored as replacement characters; so is a NUL byte.
 */
export function decodeCsvBody(body: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  let text: string;
  if (UTF8.has(charset)) {
    text = new TextDecoder('utf-8').decode(body);
    const bad = firstInvalidUtf8(body, text);
    if (bad) {
      throw new BadRequestError([{
        ...bad.at, field: 'csv',
        message: `column ${bad.at.column}: byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')} is not UTF-8; save the file as UTF-8, or declare its encoding (Content-Type: text/csv; charset=iso-8859-1)`,
      }]);
    }
  } else {
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(charset, { fatal: true });
    } catch {
      throw new BadRequestError([{ field: 'Content-Type', message: `charset "${charset}" is not supported; send UTF-8, ISO-8859-1 or Windows-1252` }], 415);
    }
    try {
      text = decoder.decode(body);
    } catch {
      throw new BadRequestError([{ field: 'csv', message: `the file holds bytes that are not valid ${charset}` }]);
    }
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new BadRequestError([{ ...lineAndColumn(text.slice(0, nul)), field: 'csv', message: `column ${lineAndColumn(text.slice(0, nul)).column}: the file contains a NUL byte` }]);
  return text;
}

/**
 * The first byte that is not UTF-8, found from the lenient decoding: everything before its first
 * U+FFFD decoded exactly, so its encoded length is the byte offset (a real U+FFFD in the file is
 * EF BF BD and is skipped).
 */
function firstInvalidUtf8(body: Buffer, text: string): { byte: number; at: { line: number; column: string } } | undefined {
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
    const prefix = text.slice(0, i);
    const offset = Buffer.byteLength(prefix, 'utf8');
    if (body[offset] === 0xef && body[offset + 1] === 0xbf && body[offset + 2] === 0xbd) continue;
    return { byte: body[offset] ?? 0, at: lineAndColumn(prefix) };
  }
  return undefined;
}

/** Line (1-based) and column (the character's position on its line, 1-based) after `before`. */
function lineAndColumn(before: string): { line: number; column: string } {
  const lines = before.split('\n');
  return { line: lines.length, column: String([...lines[lines.length - 1]!.replace(/^\uFEFF/, '')].length + 1) };
}
