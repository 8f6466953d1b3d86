// Reading Query-protocol parameters and validating them the way AWS's service front end does, as
// captured from STS: a number that does not parse as a 32-bit integer is MalformedInput before any
// other check; then every constraint broken is listed in one ValidationError, in AWS's wording,
// with the member name in lower camel case, a member's pattern before its length, and lengths
// counted in code points.
import { errors } from './errors.ts';

export type Params = Map<string, string>;

interface Constraint {
  required?: boolean;
  pattern?: RegExp;
  /** The pattern as AWS prints it. */
  patternText?: string;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
}

export const PATTERNS = {
  name: { pattern: /^[\w+=,.@-]+$/, patternText: '[\\w+=,.@-]+' },
  serial: { pattern: /^[\w+=/:,.@-]+$/, patternText: '[\\w+=/:,.@-]+' },
  /** STS's serialNumberType allows the empty string where IAM's does not. */
  stsSerial: { pattern: /^[\w+=/:,.@-]*$/, patternText: '[\\w+=/:,.@-]*' },
  digits: { pattern: /^\d*$/, patternText: '[\\d]*' },
  /** IAM's authenticationCodeType. */
  someDigits: { pattern: /^\d+$/, patternText: '[\\d]+' },
  sessionName: { pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' },
  path: { pattern: /^(\/|\/[\u0021-\u007E]+\/)$/, patternText: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' },
  // STS's arnType. Java reads `\u10000-\u10FFFF` as `\u1000`, `0-\u10FF`, `FF`, so characters outside
  // the Basic Multilingual Plane fail it; the `u` flag makes JavaScript agree.
  arn: {
    pattern: /^[\t\n\r\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD]+$/u,
    patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
  },
  policy: { pattern: /^[\t\n\r\u0020-\u00FF]+$/, patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' },
} as const;

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A Query integer as AWS parses it: optional sign, decimal digits, within 32 bits. */
export function parseInteger(value: string): number {
  if (value === '') throw errors.malformedInput('missing value for decimal type');
  const number = Number(value);
  if (!/^[+-]?\d+$/.test(value) || number < INT32.min || number > INT32.max) throw errors.malformedInput();
  return number;
}

/** Validate `params` against `rules`; throws MalformedInput, or one ValidationError listing every failure. */
export function validate(params: Params, rules: Record<string, Constraint>): void {
  const numbers = new Map<string, number>();
  for (const [name, rule] of Object.entries(rules)) {
    const value = params.get(name);
    if (value !== undefined && (rule.min !== undefined || rule.max !== undefined)) numbers.set(name, parseInteger(value));
  }

  const failures: string[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const value = params.get(name);
    const at = `at '${lowerCamel(name)}'`;
    if (value === undefined) {
      if (rule.required) failures.push(`Value null ${at} failed to satisfy constraint: Member must not be null`);
      continue;
    }
    const fail = (constraint: string) => failures.push(`Value '${value}' ${at} failed to satisfy constraint: Member must ${constraint}`);
    const number = numbers.get(name);
    if (number !== undefined) {
      if (rule.min !== undefined && number < rule.min) fail(`have value greater than or equal to ${rule.min}`);
      if (rule.max !== undefined && number > rule.max) fail(`have value less than or equal to ${rule.max}`);
      continue;
    }
    const length = [...value].length;
    if (rule.pattern && !rule.pattern.test(value)) fail(`satisfy regular expression pattern: ${rule.patternText}`);
    if (rule.minLength !== undefined && length < rule.minLength) fail(`have length greater than or equal to ${rule.minLength}`);
    if (rule.maxLength !== undefined && length > rule.maxLength) fail(`have length less than or equal to ${rule.maxLength}`);
  }
  if (failures.length > 0) {
    const count = failures.length === 1 ? '1 validation error' : `${failures.length} validation errors`;
    throw errors.validation(`${count} detected: ${failures.join('; ')}`);
  }
}

/** An integer parameter already validated (or absent: `fallback`). */
export function intParam(params: Params, name: string, fallback: number): number {
  const value = params.get(name);
  return value === undefined ? fallback : parseInteger(value);
}
