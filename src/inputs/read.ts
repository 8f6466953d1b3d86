// Reads the action's inputs into one typed settings object. Every input is checked on every path,
// whether or not that path uses it, before any AWS or GitHub call. Pure: it takes the raw values
// and returns the settings and the warnings for inputs that do nothing on this path, or throws an
// InputError naming the input; the caller masks (secretsOf, first) and logs.
import { InputError } from '../errors.ts';
import { show } from '../text.ts';
import type { RoleSettings, Settings } from '../settings.ts';
import { type FileReader, readApprovalSettings } from './approval.ts';
import { INPUT_DEFAULTS, type InputName } from './defaults.ts';
import {
  FALSE,
  optional,
  parseProtectedUsers,
  protectingPattern,
  readAccessKeys,
  readAudience,
  readBoolean,
  readInteger,
  readMfaCode,
  readRegion,
  readRoleArn,
  readSerial,
  readUserName,
} from './rules.ts';
import { defaultSessionName, SESSION_NAME, type SessionNameParts } from './session-name.ts';

export type { InputName } from './defaults.ts';

/** Every declared input's value as the runner passes it: untrimmed, action.yml's default when left out. */
export type RawInputs = Readonly<Record<InputName, string>>;

export interface ReadSettings {
  settings: Settings;
  /** Valid inputs that have no effect on the chosen path: each names the input and says why. */
  warnings: string[];
  /** Values learned while reading that must be masked too (the role's account id, when asked). */
  masks: string[];
}

const ROLE_DURATION = { min: 900, max: 43_200 };
// Below 5 s a run cannot reach AWS reliably; above an hour nothing is worth waiting for.
const TIMEOUT_SECONDS = { min: 5, max: 3600 };
/** Inputs read line by line, where surrounding white space is layout, not value. */
const MULTI_LINE: ReadonlySet<InputName> = new Set(['protected-users']);

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

export function readSettings(raw: RawInputs, run: SessionNameParts, files?: FileReader): ReadSettings {
  for (const [name, value] of Object.entries(raw) as [InputName, string][]) {
    if (!MULTI_LINE.has(name) && value !== value.trim()) {
      throw new InputError(name, 'has white space or a line break around its value (a pasted newline?). Remove it.');
    }
  }
  // A request file names the user instead of the user-name input.
  const approval = readApprovalSettings(raw, files);
  const userName = approval.request?.userName ?? readUserName(raw['user-name']);
  const mfaToken = readMfaCode(raw['mfa-token']);
  const userKeys = readAccessKeys(optional(raw['aws-access-key-id']), optional(raw['aws-secret-access-key']));
  const { region, partition } = readRegion(raw['aws-region']);
  const maskAwsAccountId = readBoolean('mask-aws-account-id', raw['mask-aws-account-id']);
  const role = readRole(raw, run, partition);
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
    serialNumber: readSerial('serial-number', raw['serial-number']),
    stepUpSerialNumber: readSerial('step-up-serial-number', raw['step-up-serial-number']),
    deleteVirtualDevices: readBoolean('delete-virtual-devices', raw['delete-virtual-devices']),
    dryRun: readBoolean('dry-run', raw['dry-run']),
    protectedUsers,
    maskUserName: readBoolean('mask-user-name', raw['mask-user-name']),
    maskAwsAccountId,
    approval,
    timeoutSeconds: readInteger('timeout-seconds', raw['timeout-seconds'], TIMEOUT_SECONDS),
  };
  const masks = maskAwsAccountId && role ? [role.accountId] : [];
  // The input was masked before reading; a user named by a request file is masked here.
  if (approval.request && settings.maskUserName) masks.push(approval.request.userName);
  return { settings, warnings: ineffectiveInputs(raw, settings), masks };
}

function readRole(raw: RawInputs, run: SessionNameParts, partition: string): { settings: RoleSettings; accountId: string } | undefined {
  // Every role input is checked even without a role: a bad value is an error on every path.
  const audience = readAudience(raw.audience);
  const sessionName = raw['role-session-name'] || defaultSessionName(run);
  if (!SESSION_NAME.test(sessionName)) {
    throw new InputError('role-session-name', `must be 2 to 64 characters of A-Z, a-z, 0-9 and +=,.@_-, not ${show(sessionName)}.`);
  }
  const durationSeconds = readInteger('role-duration-seconds', raw['role-duration-seconds'], ROLE_DURATION);
  if (raw['role-to-assume'] === '') return undefined;
  const { arn, accountId } = readRoleArn(raw['role-to-assume'], partition);
  const sessionNameFrom = raw['role-session-name'] ? 'workflow' : 'default';
  return { settings: { arn, audience, sessionName, sessionNameFrom, durationSeconds }, accountId };
}

/** Valid inputs that change nothing on the chosen path; inputs left at action.yml's default stay quiet. */
function ineffectiveInputs(raw: RawInputs, settings: Settings): string[] {
  const warnings: string[] = [];
  const unused = (name: InputName, why: string): void => {
    if (raw[name] !== INPUT_DEFAULTS[name]) warnings.push(`Input ${name} has no effect: ${why}`);
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
