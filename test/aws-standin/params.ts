// Reading Query-protocol parameters and validating them the way AWS's service front end does:
// every constraint broken is listed in one ValidationError, in AWS's wording, with the member
// name in lower camel case.
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
  digits: { pattern: /^\d*$/, patternText: '[\\d]*' },
  sessionName: { pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' },
  path: { pattern: /^(\/|\/[\u0021-\u007F]+\/)$/, patternText: '(\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)' },
} as const;

function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Validate `params` against `rules`; throws one ValidationError listing every failure. */
export function validate(params: Params, rules: Record<string, Constraint>): void {
  const failures: string[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const value = params.get(name);
    const at = `at '${lowerCamel(name)}'`;
    if (value === undefined) {
      if (rule.required) failures.push(`Value null ${at} failed to satisfy constraint: Member must not be null`);
      continue;
    }
    const fail = (constraint: string) => failures.push(`Value '${value}' ${at} failed to satisfy constraint: Member must ${constraint}`);
    if (rule.min !== undefined || rule.max !== undefined) {
      const number = Number(value);
      if (!/^-?\d+$/.test(value)) fail('be an integer');
      else if (rule.min !== undefined && number < rule.min) fail(`have value greater than or equal to ${rule.min}`);
      else if (rule.max !== undefined && number > rule.max) fail(`have value less than or equal to ${rule.max}`);
      continue;
    }
    if (rule.minLength !== undefined && value.length < rule.minLength) fail(`have length greater than or equal to ${rule.minLength}`);
    if (rule.maxLength !== undefined && value.length > rule.maxLength) fail(`have length less than or equal to ${rule.maxLength}`);
    if (rule.pattern && !rule.pattern.test(value)) fail(`satisfy regular expression pattern: ${rule.patternText}`);
  }
  if (failures.length > 0) {
    const count = failures.length === 1 ? '1 validation error' : `${failures.length} validation errors`;
    throw errors.validation(`${count} detected: ${failures.join('; ')}`);
  }
}

export function intParam(params: Params, name: string, fallback: number): number {
  const value = params.get(name);
  return value === undefined ? fallback : Number(value);
}
