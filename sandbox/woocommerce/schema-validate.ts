// WordPress REST argument validation (rest_validate_value_from_schema): the 400
// rest_invalid_param answer with per-param messages, before any permission check or handler.
import { isNumeric } from './coerce';
import { isRestDateTime } from './dates';
import { WpError } from './errors';

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';

export interface ArgSchema {
  type: JsonType | readonly JsonType[];
  enum?: readonly string[];
  items?: ArgSchema;
  properties?: Record<string, ArgSchema>;
  minimum?: number;
  maximum?: number;
  format?: 'date-time' | 'email';
  /** A top-level arg that must be present (rest_missing_callback_param). */
  required?: boolean;
}

interface Issue {
  code: string;
  message: string;
  data: Record<string, unknown> | null;
}

export function isRestBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return true;
  if (typeof v === 'string') return ['false', 'true', '0', '1'].includes(v.toLowerCase());
  return v === 0 || v === 1;
}

export function isRestInteger(v: unknown): boolean {
  if (typeof v === 'boolean' || !isNumeric(v)) return false;
  const n = Number(v);
  return Math.round(n) === n;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** wp_parse_list: a comma/space separated string or a list. */
export function wpParseList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isPlainObject(v)) return Object.values(v);
  if (v === null || v === undefined) return [];
  return String(v)
    .split(/[\s,]+/)
    .filter((s) => s !== '');
}

const CHECKS: Record<JsonType, (v: unknown) => boolean> = {
  array: (v) => Array.isArray(v) || ['string', 'number', 'boolean'].includes(typeof v) || (isPlainObject(v) && Object.keys(v).every((k) => /^\d+$/.test(k))),
  object: (v) => v === '' || isPlainObject(v) || Array.isArray(v),
  integer: isRestInteger,
  number: (v) => typeof v !== 'boolean' && isNumeric(v),
  boolean: isRestBoolean,
  string: (v) => typeof v === 'string',
  null: (v) => v === null,
};

/** rest_get_best_type_for_value. */
function bestType(value: unknown, types: readonly JsonType[]): JsonType | undefined {
  if (value === '' && types.includes('string')) return 'string';
  return types.find((t) => CHECKS[t](value));
}

/** wp_sprintf '%l': "a and b", "a, b, and c". */
function humanList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

function validateNumber(value: unknown, schema: ArgSchema, param: string): Issue | undefined {
  const n = Number(value);
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined && (n < min || n > max)) {
    return { code: 'rest_out_of_bounds', message: `${param} must be between ${min} (inclusive) and ${max} (inclusive)`, data: null };
  }
  if (min !== undefined && n < min) return { code: 'rest_out_of_bounds', message: `${param} must be greater than or equal to ${min}`, data: null };
  if (max !== undefined && n > max) return { code: 'rest_out_of_bounds', message: `${param} must be less than or equal to ${max}`, data: null };
  return undefined;
}

export function validateValue(value: unknown, schema: ArgSchema, param: string): Issue | undefined {
  const types: readonly JsonType[] = typeof schema.type === 'string' ? [schema.type] : schema.type;
  const type = bestType(value, types);
  if (!type) return { code: 'rest_invalid_type', message: `${param} is not of type ${types.join(',')}.`, data: { param } };
  if (type === 'array' && schema.items) {
    const list = wpParseList(value);
    for (let i = 0; i < list.length; i++) {
      const issue = validateValue(list[i], schema.items, `${param}[${i}]`);
      if (issue) return issue;
    }
  }
  if (type === 'object' && schema.properties && isPlainObject(value)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (!(key in value)) continue;
      const issue = validateValue(value[key], sub, `${param}[${key}]`);
      if (issue) return issue;
    }
  }
  if (schema.enum && type !== 'null' && !schema.enum.includes(String(value))) {
    return { code: 'rest_not_in_enum', message: `${param} is not one of ${humanList(schema.enum)}.`, data: null };
  }
  if (type === 'integer' || type === 'number') return validateNumber(value, schema, param);
  if (type === 'string' && schema.format === 'date-time' && !isRestDateTime(value as string)) {
    return { code: 'rest_invalid_date', message: 'Invalid date.', data: null };
  }
  if (type === 'string' && schema.format === 'email' && value !== '' && !isEmail(value as string)) {
    return { code: 'rest_invalid_email', message: 'Invalid email address.', data: null };
  }
  return undefined;
}

/** is_email(), roughly: local@domain.tld without spaces. */
function isEmail(v: string): boolean {
  return /^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/.test(v) && v.length >= 6;
}

/**
 * Required args first (all missing ones together), then the params that are present and not null;
 * all failures are reported together.
 */
export function validateArgs(params: Record<string, unknown>, schemas: Record<string, ArgSchema>): WpError | undefined {
  const missing = Object.entries(schemas)
    .filter(([key, schema]) => schema.required && (params[key] === undefined || params[key] === null))
    .map(([key]) => key);
  if (missing.length > 0) {
    return new WpError('rest_missing_callback_param', `Missing parameter(s): ${missing.join(', ')}`, 400, { params: missing });
  }
  const messages: Record<string, string> = {};
  const details: Record<string, Issue> = {};
  for (const [key, schema] of Object.entries(schemas)) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    const issue = validateValue(value, schema, key);
    if (issue) {
      messages[key] = issue.message;
      details[key] = issue;
    }
  }
  const keys = Object.keys(messages);
  if (keys.length === 0) return undefined;
  return new WpError('rest_invalid_param', `Invalid parameter(s): ${keys.join(', ')}`, 400, { params: messages, details });
}
