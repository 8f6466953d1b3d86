// Reads the action's inputs into one typed settings object. Secrets are masked the moment they are
// read, before anything is validated or logged; every problem names its input and is raised
// before any AWS call.
import { InputError } from './errors.ts';

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

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
  partition: Partition;
  serialNumber: string | undefined;
  stepUpSerialNumber: string | undefined;
  deleteVirtualDevices: boolean;
  dryRun: boolean;
  maskUserName: boolean;
  maskAwsAccountId: boolean;
  /** The whole run's time limit. */
  timeoutSeconds: number;
}

/** Who runs the workflow: feeds the default role session name. */
export interface RunIdentity {
  actor: string;
  runId: number;
  runAttempt: number;
}

export interface InputSource {
  /** The input's value, trimmed; '' when unset. */
  get(name: string): string;
  /** Registers a value with the runner's log masking. */
  mask(value: string): void;
}

// AWS's patterns (IAM and STS API references).
const USER_NAME = /^[\w+=,.@-]{1,128}$/;
const SERIAL_NUMBER = /^[\w+=/:,.@-]{9,256}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[!-~]*\/)?[\w+=,.@-]{1,64}$/;
const ACCESS_KEY_ID = /^\w{16,128}$/;
const REGION = /^[a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}$/;
const MFA_CODE = /^\d{6}$/;
// YAML 1.2 core schema booleans, as the runner documents them.
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

const ROLE_DURATION = { min: 900, max: 43_200 };
// Below 5 s a run cannot reach AWS reliably; above an hour nothing is worth waiting for.
const TIMEOUT_SECONDS = { min: 5, max: 3600, fallback: 120 };

export function readSettings(source: InputSource, run: RunIdentity): Settings {
  const maskUserName = readBoolean(source, 'mask-user-name', true);
  const maskAwsAccountId = readBoolean(source, 'mask-aws-account-id', false);

  // Mask first: a validation message must never be the first place a secret is printed.
  const userName = source.get('user-name');
  if (maskUserName && userName) source.mask(userName);
  const mfaToken = optional(source.get('mfa-token'));
  const accessKeyId = optional(source.get('aws-access-key-id'));
  const secretAccessKey = optional(source.get('aws-secret-access-key'));
  for (const secret of [mfaToken, accessKeyId, secretAccessKey]) if (secret) source.mask(secret);

  if (!userName) throw new InputError('user-name', 'is required.');
  if (!USER_NAME.test(userName)) {
    throw new InputError('user-name', 'must be 1 to 128 characters of letters, digits and +=,.@_- (an IAM user name).');
  }
  if (mfaToken !== undefined && !MFA_CODE.test(mfaToken)) {
    throw new InputError('mfa-token', 'must be exactly six digits, the current code of a TOTP device.');
  }
  const userKeys = readAccessKeys(accessKeyId, secretAccessKey);

  const region = source.get('aws-region') || 'us-east-1';
  if (!REGION.test(region)) throw new InputError('aws-region', `"${region}" is not an AWS region name (like us-east-1).`);
  const partition = partitionOf(region);

  const role = readRole(source, run, partition, maskAwsAccountId);
  const serialNumber = readSerial(source, 'serial-number');
  const stepUpSerialNumber = readSerial(source, 'step-up-serial-number');

  const protectedBy = protectingPattern(userName, parsePatterns(source.get('protected-users')));
  if (protectedBy !== undefined) {
    throw new InputError('user-name', `matches protected-users pattern "${protectedBy}": this action never touches that user.`);
  }

  return {
    userName,
    mfaToken,
    role,
    userKeys,
    region,
    partition,
    serialNumber,
    stepUpSerialNumber,
    deleteVirtualDevices: readBoolean(source, 'delete-virtual-devices', false),
    dryRun: readBoolean(source, 'dry-run', false),
    maskUserName,
    maskAwsAccountId,
    timeoutSeconds: readInteger(source, 'timeout-seconds', TIMEOUT_SECONDS.fallback, TIMEOUT_SECONDS),
  };
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

export function readBoolean(source: InputSource, name: string, fallback: boolean): boolean {
  const value = source.get(name);
  if (value === '') return fallback;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new InputError(name, `must be true or false (YAML 1.2: true | True | TRUE | false | False | FALSE), not "${value}".`);
}

function readAccessKeys(accessKeyId: string | undefined, secretAccessKey: string | undefined): AccessKeys | undefined {
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined) throw new InputError('aws-access-key-id', 'is required when aws-secret-access-key is set.');
  if (secretAccessKey === undefined) throw new InputError('aws-secret-access-key', 'is required when aws-access-key-id is set.');
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    throw new InputError('aws-access-key-id', 'is not an access key id (16 to 128 letters and digits).');
  }
  return { accessKeyId, secretAccessKey };
}

function readRole(source: InputSource, run: RunIdentity, partition: Partition, maskAccountId: boolean): RoleSettings | undefined {
  const arn = source.get('role-to-assume');
  if (arn === '') return undefined;
  const match = ROLE_ARN.exec(arn);
  if (!match) {
    throw new InputError('role-to-assume', 'must be an IAM role ARN like arn:aws:iam::123456789012:role/name.');
  }
  const [, rolePartition, accountId] = match;
  if (maskAccountId && accountId) source.mask(accountId);
  if (rolePartition !== partition) {
    throw new InputError('role-to-assume', `is in partition ${rolePartition} but aws-region is in partition ${partition}.`);
  }

  const sessionName = source.get('role-session-name') || defaultSessionName(run);
  if (!SESSION_NAME.test(sessionName)) {
    throw new InputError('role-session-name', 'must be 2 to 64 characters of letters, digits and +=,.@_-.');
  }
  return {
    arn,
    audience: source.get('audience') || 'sts.amazonaws.com',
    sessionName,
    durationSeconds: readInteger(source, 'role-duration-seconds', ROLE_DURATION.min, ROLE_DURATION),
  };
}

function readSerial(source: InputSource, name: string): string | undefined {
  const serial = optional(source.get(name));
  if (serial !== undefined && !SERIAL_NUMBER.test(serial)) {
    throw new InputError(name, 'must be an MFA serial number or ARN: 9 to 256 characters of letters, digits and +=/:,.@_-.');
  }
  return serial;
}

function readInteger(source: InputSource, name: string, fallback: number, range: { min: number; max: number }): number {
  const raw = source.get(name);
  if (raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new InputError(name, `must be a whole number from ${range.min} to ${range.max}, not "${raw}".`);
  }
  return value;
}

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The name CloudTrail shows for the role session: ties the change to a person and a run.
 * Characters AWS does not allow (a bot's "[bot]") become "-".
 */
export function defaultSessionName({ actor, runId, runAttempt }: RunIdentity): string {
  const name = `gh-${actor || 'unknown'}-${runId}-${runAttempt}`.replace(/[^\w+=,.@-]/g, '-');
  return name.slice(0, 64);
}

function parsePatterns(list: string): string[] {
  return list
    .split(/[\n,]/)
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== '');
}

/** The first pattern that matches the user name; IAM user names are unique regardless of case. */
export function protectingPattern(userName: string, patterns: readonly string[]): string | undefined {
  return patterns.find((pattern) => {
    const source = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${source}$`, 'i').test(userName);
  });
}
