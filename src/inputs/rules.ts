// One rule per input: each reader takes the raw value and returns it typed, or throws an InputError
// that names the input and quotes the value safely. Pure.
import { partition as sdkPartition } from '@aws-sdk/core/client';
import { InputError } from '../errors.ts';
import { escapeRegExp, show } from '../text.ts';
import type { AccessKeys } from '../settings.ts';

// AWS's patterns (IAM and STS API references). Without the `u` flag, \w and \d are ASCII only,
// so lookalike letters and non-ASCII digits never match.
export const USER_NAME = /^[\w+=,.@-]{1,128}$/;
const SERIAL_NUMBER = /^[\w+=/:,.@-]{9,256}$/;
// A role's path is `/` or `/…/` of printable ASCII; its name 1 to 64 of [\w+=,.@-].
const ROLE_ARN = /^arn:([a-z][a-z-]*):iam::(\d{12}):role\/(?:[!-~]{1,510}\/)?[\w+=,.@-]{1,64}$/;
const ACCESS_KEY_ID = /^\w{16,128}$/;
// AWS documents no format for secret keys; every one IAM issues is 40 characters of base64 letters.
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+]{40}$/;
// An OIDC audience (an IAM OIDC provider's client id is at most 255 characters): printable, no spaces.
const AUDIENCE = /^[!-~]{1,255}$/;
const MFA_CODE = /^\d{6}$/;
// A decimal number as a person writes it: no sign, exponent, hex, leading zero or spaces.
const WHOLE_NUMBER = /^[1-9]\d*$/;
/** One protected-users entry: IAM user-name characters, plus `*` as a wildcard. */
const PROTECTED_ENTRY = /^[\w+=,.@*-]{1,128}$/;
// YAML 1.2 core schema booleans, as the runner documents them.
const TRUE = new Set(['true', 'True', 'TRUE']);
export const FALSE: ReadonlySet<string> = new Set(['false', 'False', 'FALSE']);

export function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

export function readUserName(value: string): string {
  if (value === '') throw new InputError('user-name', 'is required.');
  if (!USER_NAME.test(value)) {
    throw new InputError('user-name', 'must be 1 to 128 characters of A-Z, a-z, 0-9 and +=,.@_- (an IAM user name).');
  }
  return value;
}

export function readMfaCode(value: string): string | undefined {
  const code = optional(value);
  if (code !== undefined && !MFA_CODE.test(code)) {
    throw new InputError('mfa-token', 'must be exactly six digits 0-9, the current code of a TOTP device.');
  }
  return code;
}

export function readBoolean(name: string, value: string): boolean {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new InputError(name, `must be true or false (YAML 1.2: true | True | TRUE | false | False | FALSE), not ${show(value)}.`);
}

export function readInteger(name: string, value: string, range: { min: number; max: number }): number {
  const number = WHOLE_NUMBER.test(value) ? Number(value) : Number.NaN;
  if (!(number >= range.min && number <= range.max)) {
    throw new InputError(name, `must be a whole number from ${range.min} to ${range.max} in plain digits, not ${show(value)}.`);
  }
  return number;
}

export function readAccessKeys(accessKeyId: string | undefined, secretAccessKey: string | undefined): AccessKeys | undefined {
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined) throw new InputError('aws-access-key-id', 'is required when aws-secret-access-key is set.');
  if (secretAccessKey === undefined) throw new InputError('aws-secret-access-key', 'is required when aws-access-key-id is set.');
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    throw new InputError('aws-access-key-id', 'is not an access key id (16 to 128 letters, digits and _, like AKIAIOSFODNN7EXAMPLE).');
  }
  if (!SECRET_ACCESS_KEY.test(secretAccessKey)) {
    throw new InputError('aws-secret-access-key', 'is not a secret access key (40 characters of A-Z, a-z, 0-9, / and +).');
  }
  return { accessKeyId, secretAccessKey };
}

/**
 * A region the SDK's own partitions data lists, and its partition. The SDK's partition() answers
 * every string (unknown ones fall back to the aws partition); only a listed region carries its
 * description. The `*-global` entries are endpoint aliases, not regions.
 */
export function readRegion(region: string): { region: string; partition: string } {
  const known = sdkPartition(region) as { name: string; description?: string };
  if (known.description === undefined || region.endsWith('-global')) {
    throw new InputError('aws-region', `is not an AWS region the AWS SDK knows (like us-east-1, eu-west-2, cn-north-1 or us-gov-west-1): ${show(region)}.`);
  }
  return { region, partition: known.name };
}

export function readAudience(audience: string): string {
  if (!AUDIENCE.test(audience)) {
    throw new InputError('audience', `must be 1 to 255 printable ASCII characters without spaces (an OIDC audience), not ${show(audience)}.`);
  }
  return audience;
}

/** A role ARN in the region's partition, and the account it names. */
export function readRoleArn(arn: string, partition: string): { arn: string; accountId: string } {
  const match = arn.length <= 2048 ? ROLE_ARN.exec(arn) : null;
  if (!match) {
    const kind = /^arn:[^:]*:(?:iam|sts)::[^:]*:(user|assumed-role|group|policy|oidc-provider)\//.exec(arn)?.[1];
    throw new InputError(
      'role-to-assume',
      `must be an IAM role ARN like arn:aws:iam::123456789012:role/name${kind ? ` (this one names a ${kind}, not a role)` : ''}.`,
    );
  }
  const [, rolePartition = '', accountId = ''] = match;
  if (rolePartition !== partition) {
    throw new InputError('role-to-assume', `is in partition ${show(rolePartition)} but aws-region is in partition ${partition}.`);
  }
  return { arn, accountId };
}

export function readSerial(name: string, value: string): string | undefined {
  const serial = optional(value);
  if (serial !== undefined && !SERIAL_NUMBER.test(serial)) {
    throw new InputError(name, `must be an MFA serial number or ARN: 9 to 256 characters of A-Z, a-z, 0-9 and +=/:,.@_-, not ${show(serial)}.`);
  }
  return serial;
}

/**
 * protected-users: one pattern per line. Commas are legal in IAM user names, so they cannot
 * separate entries; anything that is not user-name characters and `*` (a YAML list's "- ", quotes,
 * spaces, semicolons, an ARN) is refused rather than silently protecting no one.
 */
export function parseProtectedUsers(list: string): string[] {
  const entries = list
    .split(/\r?\n/)
    .map((line) => line.replace(/^[ \t]+|[ \t]+$/g, ''))
    .filter((line) => line !== '');
  for (const entry of entries) {
    if (!PROTECTED_ENTRY.test(entry)) {
      const why = entry.startsWith('arn:')
        ? 'is an ARN; list the user name'
        : 'is not a user-name pattern (A-Z, a-z, 0-9, +=,.@_- and * only: no spaces, quotes, list dashes or semicolons)';
      throw new InputError('protected-users', `entry ${show(entry)} ${why}. Write one user name or pattern per line.`);
    }
  }
  return entries;
}

/** The first pattern that matches the user name, as AWS compares names: case-insensitively. */
export function protectingPattern(userName: string, patterns: readonly string[]): string | undefined {
  return patterns.find((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i').test(userName));
}
