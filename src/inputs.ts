// Reads the action's inputs into one typed settings object. Every input is checked on every path,
// whether or not that path uses it, before any AWS or GitHub call. Pure: it takes the raw values
// and returns the settings and the warnings for inputs that do nothing on this path, or throws an
// InputError naming the input; the caller masks (secretsOf, first) and logs.
import { partition as sdkPartition } from '@aws-sdk/core/client';
import { INPUT_DEFAULTS, type InputName } from './action-defaults.ts';
import { type ApprovalSettings, type FileReader, readApprovalSettings } from './approval-settings.ts';
import { InputError } from './errors.ts';
import { defaultSessionName, SESSION_NAME } from './session-name.ts';

export type { InputName } from './action-defaults.ts';
export { defaultSessionName } from './session-name.ts';

/** Every declared input's value as the runner passes it: untrimmed, action.yml's default when left out. */
export type RawInputs = Readonly<Record<InputName, string>>;

export interface AccessKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RoleSettings {
  arn: string;
  audience: string;
  sessionName: string;
  durationSeconds: number;
}

export interface Settings {
  userName: string;
  mfaToken: string | undefined;
  role: RoleSettings | undefined;
  userKeys: AccessKeys | undefined;
  region: string;
  /** The region's partition (aws, aws-cn, aws-us-gov, …), from the SDK's partitions data. */
  partition: string;
  serialNumber: string | undefined;
  stepUpSerialNumber: string | undefined;
  deleteVirtualDevices: boolean;
  dryRun: boolean;
  /** protected-users patterns; `*` matches any run of characters. */
  protectedUsers: string[];
  maskUserName: boolean;
  maskAwsAccountId: boolean;
  approval: ApprovalSettings;
  /** The whole run's time limit. */
  timeoutSeconds: number;
}

export interface ReadSettings {
  settings: Settings;
  /** Valid inputs that have no effect on the chosen path: each names the input and says why. */
  warnings: string[];
  /** Values learned while reading that must be masked too (the role's account id, when asked). */
  masks: string[];
}

/** Who runs the workflow: feeds the default role session name. */
export interface RunIdentity {
  actor: string;
  runId: number;
  runAttempt: number;
}

// AWS's patterns (IAM and STS API references). Without the `u` flag, \w and \d are ASCII only,
// so lookalike letters and non-ASCII digits never match.
const USER_NAME = /^[\w+=,.@-]{1,128}$/;
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
const FALSE = new Set(['false', 'False', 'FALSE']);

const ROLE_DURATION = { min: 900, max: 43_200 };
/** Inputs read line by line, where surrounding white space is layout, not value. */
const MULTI_LINE: ReadonlySet<InputName> = new Set(['protected-users']);
// Below 5 s a run cannot reach AWS reliably; above an hour nothing is worth waiting for.
const TIMEOUT_SECONDS = { min: 5, max: 3600 };

/** Every declared input, through `get` (the runner's INPUT_* value); an empty value is action.yml's default. */
export function rawInputs(get: (name: InputName) => string): RawInputs {
  const entries = Object.entries(INPUT_DEFAULTS).map(([name, fallback]) => [name, get(name as InputName) || fallback]);
  return Object.fromEntries(entries) as RawInputs;
}

/**
 * What to mask before anything is validated or logged: a validation message must never be the
 * first place a secret is printed. The user name is masked unless masking is plainly off.
 */
export function secretsOf(raw: RawInputs): string[] {
  const secrets = [raw['mfa-token'], raw['aws-access-key-id'], raw['aws-secret-access-key'], raw['github-token']];
  if (!FALSE.has(raw['mask-user-name'])) secrets.unshift(raw['user-name']);
  // White space alone would mask every space of the log.
  return secrets.filter((secret) => secret.trim() !== '');
}

export function readSettings(raw: RawInputs, run: RunIdentity, files?: FileReader): ReadSettings {
  for (const [name, value] of Object.entries(raw) as [InputName, string][]) {
    if (!MULTI_LINE.has(name) && value !== value.trim()) {
      throw new InputError(name, 'has white space or a line break around its value (a pasted newline?). Remove it.');
    }
  }
  // A request file names the user instead of the user-name input.
  const approval = readApprovalSettings(raw, files);
  const userName = approval.request?.userName ?? readUserName(raw['user-name']);
  const mfaToken = optional(raw['mfa-token']);
  if (mfaToken !== undefined && !MFA_CODE.test(mfaToken)) {
    throw new InputError('mfa-token', 'must be exactly six digits 0-9, the current code of a TOTP device.');
  }
  const userKeys = readAccessKeys(optional(raw['aws-access-key-id']), optional(raw['aws-secret-access-key']));
  const { region, partition } = readRegion(raw['aws-region']);
  const maskAwsAccountId = readBoolean(raw, 'mask-aws-account-id');
  const role = readRole(raw, run, partition);
  const serialNumber = readSerial(raw, 'serial-number');
  const stepUpSerialNumber = readSerial(raw, 'step-up-serial-number');
  const protectedUsers = parseProtectedUsers(raw['protected-users']);
  const protectedBy = protectingPattern(userName, protectedUsers);
  if (protectedBy !== undefined) {
    throw new InputError('user-name', `matches protected-users pattern ${show(protectedBy)}: this action never touches that user.`);
  }

  const settings: Settings = {
    userName,
    mfaToken,
    role: role?.settings,
    userKeys,
    region,
    partition,
    serialNumber,
    stepUpSerialNumber,
    deleteVirtualDevices: readBoolean(raw, 'delete-virtual-devices'),
    dryRun: readBoolean(raw, 'dry-run'),
    protectedUsers,
    maskUserName: readBoolean(raw, 'mask-user-name'),
    maskAwsAccountId,
    approval,
    timeoutSeconds: readInteger(raw, 'timeout-seconds', TIMEOUT_SECONDS),
  };
  const masks = maskAwsAccountId && role ? [role.accountId] : [];
  // The input was masked before reading; a user named by a request file is masked here.
  if (approval.request && settings.maskUserName) masks.push(approval.request.userName);
  return { settings, warnings: ineffectiveInputs(raw, settings), masks };
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/**
 * A value as an error message may quote it: JSON-escaped, with every non-ASCII character as a
 * \u escape (a lookalike or zero-width character shows), cut to 64 characters.
 */
export function show(value: string): string {
  const shown = JSON.stringify(value.slice(0, 64)).replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return value.length > 64 ? `${shown}... (${value.length} characters)` : shown;
}

function readUserName(value: string): string {
  if (value === '') throw new InputError('user-name', 'is required.');
  if (!USER_NAME.test(value)) {
    throw new InputError('user-name', 'must be 1 to 128 characters of A-Z, a-z, 0-9 and +=,.@_- (an IAM user name).');
  }
  return value;
}

export function readBoolean(raw: RawInputs, name: InputName): boolean {
  const value = raw[name];
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new InputError(name, `must be true or false (YAML 1.2: true | True | TRUE | false | False | FALSE), not ${show(value)}.`);
}

function readAccessKeys(accessKeyId: string | undefined, secretAccessKey: string | undefined): AccessKeys | undefined {
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

function readRole(raw: RawInputs, run: RunIdentity, partition: string): { settings: RoleSettings; accountId: string } | undefined {
  // Every role input is checked even without a role: a bad value is an error on every path.
  const audience = raw.audience;
  if (!AUDIENCE.test(audience)) {
    throw new InputError('audience', `must be 1 to 255 printable ASCII characters without spaces (an OIDC audience), not ${show(audience)}.`);
  }
  const sessionName = raw['role-session-name'] || defaultSessionName(run);
  if (!SESSION_NAME.test(sessionName)) {
    throw new InputError('role-session-name', `must be 2 to 64 characters of A-Z, a-z, 0-9 and +=,.@_-, not ${show(sessionName)}.`);
  }
  const durationSeconds = readInteger(raw, 'role-duration-seconds', ROLE_DURATION);

  const arn = raw['role-to-assume'];
  if (arn === '') return undefined;
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
  return { settings: { arn, audience, sessionName, durationSeconds }, accountId };
}

function readSerial(raw: RawInputs, name: InputName): string | undefined {
  const serial = optional(raw[name]);
  if (serial !== undefined && !SERIAL_NUMBER.test(serial)) {
    throw new InputError(name, `must be an MFA serial number or ARN: 9 to 256 characters of A-Z, a-z, 0-9 and +=/:,.@_-, not ${show(serial)}.`);
  }
  return serial;
}

function readInteger(raw: RawInputs, name: InputName, range: { min: number; max: number }): number {
  const value = raw[name];
  const number = WHOLE_NUMBER.test(value) ? Number(value) : Number.NaN;
  if (!(number >= range.min && number <= range.max)) {
    throw new InputError(name, `must be a whole number from ${range.min} to ${range.max} in plain digits, not ${show(value)}.`);
  }
  return number;
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
  return patterns.find((pattern) => {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${source}$`, 'i').test(userName);
  });
}

/** Valid inputs that change nothing on the chosen path; inputs left at action.yml's default stay quiet. */
function ineffectiveInputs(raw: RawInputs, settings: Settings): string[] {
  const given = (name: InputName): boolean => raw[name] !== INPUT_DEFAULTS[name];
  const warnings: string[] = [];
  const unused = (name: InputName, why: string): void => {
    if (given(name)) warnings.push(`Input ${name} has no effect: ${why}`);
  };
  if (!settings.role) {
    for (const name of ['audience', 'role-session-name', 'role-duration-seconds'] as const) {
      unused(name, 'role-to-assume is not set, so no role is assumed.');
    }
  }
  if (settings.role && !settings.userKeys) {
    const why =
      'only the role in role-to-assume acts, and a role can never step up to an MFA session ' +
      "(GetSessionToken accepts only an IAM user's long-term keys, given in aws-access-key-id and aws-secret-access-key).";
    unused('mfa-token', why);
    unused('step-up-serial-number', why);
  } else if (!settings.mfaToken) {
    unused('step-up-serial-number', 'without mfa-token there is no code to step up with.');
  }
  if (settings.dryRun && settings.deleteVirtualDevices) {
    warnings.push('Input delete-virtual-devices has no effect: a dry run deactivates and deletes nothing.');
  }
  for (const entry of settings.protectedUsers.filter((pattern) => pattern.includes(','))) {
    warnings.push(
      `Input protected-users entry ${show(entry)} protects the one user whose name is exactly that, commas included ` +
        '(commas are legal in IAM user names). To protect several users, write one per line.',
    );
  }
  return warnings;
}
