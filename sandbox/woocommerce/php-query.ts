// PHP's way of reading and writing query strings ($_GET, parse_str, urlencode, rawurlencode).
// Maps keep insertion order for every key, like PHP arrays (JS objects would sort numeric keys).

export type PhpValue = string | PhpMap;
export type PhpMap = Map<string, PhpValue>;

const HEX = '0123456789ABCDEF';

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** PHP urldecode: '+' is a space, valid %XX sequences are bytes, anything else stays. */
export function phpUrlDecode(s: string, plusIsSpace = true): string {
  if (!s.includes('%') && !(plusIsSpace && s.includes('+'))) return s;
  const bytes: number[] = [];
  const src = Buffer.from(s, 'utf8');
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x2b && plusIsSpace) bytes.push(0x20);
    else if (b === 0x25 && i + 2 < src.length && isHex(src[i + 1]!) && isHex(src[i + 2]!)) {
      bytes.push(parseInt(String.fromCharCode(src[i + 1]!, src[i + 2]!), 16));
      i += 2;
    } else bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

function encodeBytes(s: string, keep: (b: number) => boolean, spaceAsPlus: boolean): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (keep(b)) out += String.fromCharCode(b);
    else if (b === 0x20 && spaceAsPlus) out += '+';
    else out += '%' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

const alnum = (b: number): boolean => (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122);

/** PHP rawurlencode (RFC 3986): only A-Z a-z 0-9 - _ . ~ stay literal. */
export function rawUrlEncode(s: string): string {
  return encodeBytes(s, (b) => alnum(b) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e, false);
}

/** PHP urlencode: like rawurlencode but a space becomes '+' and '~' is encoded. */
export function phpUrlEncode(s: string): string {
  return encodeBytes(s, (b) => alnum(b) || b === 0x2d || b === 0x5f || b === 0x2e, true);
}

function nextIndex(map: PhpMap): string {
  let max = -1;
  for (const k of map.keys()) if (/^(0|-?[1-9]\d*)$/.test(k)) max = Math.max(max, Number(k));
  return String(max + 1);
}

/** Splits `a[b][]` into the base name and its bracket segments, the way php_register_variable_ex does. */
function splitName(rawName: string): { base: string; segments: string[] } | undefined {
  const name = rawName.replace(/^ +/, '');
  if (name === '') return undefined;
  const open = name.indexOf('[');
  let base = open === -1 ? name : name.slice(0, open);
  base = base.replace(/[ .]/g, '_');
  if (open === -1) return { base, segments: [] };
  const segments: string[] = [];
  let rest = name.slice(open);
  while (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) {
      // An unmatched '[' is not an index: PHP turns it into '_' and keeps the rest of the name.
      if (segments.length === 0) return { base: base + '_' + rest.slice(1).replace(/[ .]/g, '_'), segments: [] };
      break;
    }
    segments.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  if (base === '') return undefined;
  return { base, segments };
}

function assign(target: PhpMap, key: string, segments: string[], value: string): void {
  if (segments.length === 0) {
    target.set(key, value);
    return;
  }
  let child = target.get(key);
  if (!(child instanceof Map)) {
    child = new Map();
    target.set(key, child);
  }
  const [head = '', ...tail] = segments;
  assign(child, head === '' ? nextIndex(child) : head, tail, value);
}

/** PHP parse_str / $_GET: `a=1&b[]=2&b[]=3&c[x]=4`. */
export function parsePhpQuery(query: string): PhpMap {
  const out: PhpMap = new Map();
  if (!query) return out;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = phpUrlDecode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : phpUrlDecode(part.slice(eq + 1));
    const name = splitName(rawKey);
    if (!name) continue;
    assign(out, name.base, name.segments, value);
  }
  return out;
}

function isList(map: PhpMap): boolean {
  let i = 0;
  for (const k of map.keys()) if (k !== String(i++)) return false;
  return true;
}

/** A PHP value as JSON-like data: a list when keys are 0..n-1, else an object. */
export function phpToPlain(value: PhpValue): unknown {
  if (typeof value === 'string') return value;
  if (isList(value)) return [...value.values()].map(phpToPlain);
  const obj: Record<string, unknown> = {};
  for (const [k, v] of value) obj[k] = phpToPlain(v);
  return obj;
}

export function phpMapToObject(map: PhpMap): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [k, v] of map) obj[k] = phpToPlain(v);
  return obj;
}

/** WordPress build_query over urlencoded values; a key with an empty value is written bare. */
export function buildWpQuery(map: PhpMap, prefix = ''): string[] {
  const parts: string[] = [];
  for (const [k, v] of map) {
    const key = prefix ? `${prefix}%5B${k}%5D` : k;
    if (typeof v === 'string') parts.push(v === '' ? key : `${key}=${phpUrlEncode(v)}`);
    else parts.push(...buildWpQuery(v, key));
  }
  return parts;
}
