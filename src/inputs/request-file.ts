// A reset request as a file in the repository (mfa-resets/<date>-<user>.yml), added by a pull
// request and acted on once merged. The format is a strict subset of YAML: one `key: value` per
// line, `#` comment lines, values plain or quoted without escapes. A full YAML parser would add
// about 100 KB to the bundle for three fields, and strictness is the point: anything else is an
// error naming the file, the line and the field, raised before any call, so nothing changes.
import type { ResetRequest } from '../settings.ts';
import { USER_NAME } from './rules.ts';

export class RequestFileError extends Error {
  override readonly name = 'RequestFileError';
}

const FIELDS = ['user-name', 'reason', 'ticket'] as const;
type Field = (typeof FIELDS)[number];

const MAX_BYTES = 4096;
const MAX_REASON = 500;
const TICKET = /^[\w#/:.@-]{1,100}$/;
const KEY_VALUE = /^([A-Za-z][\w-]*):(?:[ \t]+(.*?))?[ \t]*$/;

/** The value of a YAML scalar in the subset: plain, '…' or "…" (no escapes, no inner quote). */
function scalar(raw: string): string | undefined {
  const quote = raw[0];
  if (quote === '"' || quote === "'") {
    if (raw.length < 2 || !raw.endsWith(quote) || raw.slice(1, -1).includes(quote) || (quote === '"' && raw.includes('\\'))) return undefined;
    return raw.slice(1, -1);
  }
  // In YAML, ` #` starts a comment and these characters start other syntax: refuse rather than guess.
  if (/ #/.test(raw) || /^[[\]{}&*!|>%@`,?:-]/.test(raw) || /: /.test(raw)) return undefined;
  return raw;
}

export function parseRequestFile(file: string, text: string): ResetRequest {
  const fail = (problem: string): never => {
    throw new RequestFileError(`${file}: ${problem}`);
  };
  if (Buffer.byteLength(text) > MAX_BYTES) fail(`is larger than ${MAX_BYTES} bytes; a request holds three short fields.`);
  const values = new Map<Field, string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const at = `line ${index + 1}`;
    if (line.trim() === '' || /^\s*#/.test(line) || (index === 0 && line.trim() === '---')) return;
    const match = KEY_VALUE.exec(line);
    if (!match) fail(`${at} is not \`field: value\` (fields: ${FIELDS.join(', ')}).`);
    const [, key = '', raw = ''] = match ?? [];
    if (!(FIELDS as readonly string[]).includes(key)) fail(`${at}: unknown field "${key}" (fields: ${FIELDS.join(', ')}).`);
    const field = key as Field;
    if (values.has(field)) fail(`${at}: field ${field} is given twice.`);
    const value = scalar(raw);
    if (value === undefined) fail(`${at}: field ${field} has a value this format does not accept; write it plain or in quotes, without # or escapes.`);
    values.set(field, (value ?? '').trim());
  });

  const userName = values.get('user-name') ?? '';
  const reason = values.get('reason') ?? '';
  const ticket = values.get('ticket') || undefined;
  if (userName === '') fail('field user-name is required: the IAM user whose MFA devices are reset.');
  if (!USER_NAME.test(userName)) fail('field user-name must be an IAM user name: 1 to 128 characters of letters, digits and +=,.@_-.');
  if (reason === '') fail('field reason is required: say why the reset is needed.');
  if ([...reason].length > MAX_REASON) fail(`field reason is longer than ${MAX_REASON} characters.`);
  if (ticket !== undefined && !TICKET.test(ticket)) fail('field ticket must be a ticket id or URL path: up to 100 characters of letters, digits and #/:.@_-.');
  return { file, userName, reason, ticket };
}
