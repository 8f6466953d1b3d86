// What an AWS error means for this action. Pure: takes the SDK's error, returns a decision.
import { ActionError } from '../errors.ts';

/**
 * How one AWS call failed: the call as IAM policies name it ("iam:DeactivateMFADevice"), how many
 * attempts the SDK made, and the SDK's own error as `cause`. The clients' middleware (clients.ts)
 * wraps every failure in one, so every message names its call.
 */
export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  readonly call: string;
  readonly attempts: number;
  constructor(call: string, cause: unknown) {
    super(`${call} failed`, { cause });
    this.call = call;
    this.attempts = (cause as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1;
  }
}

/** The SDK's error behind a failed call. */
function sdkError(error: unknown): unknown {
  return error instanceof AwsCallError ? error.cause : error;
}

export type AwsErrorKind =
  /** Refused for want of an MFA-authenticated session: stepping up may help. */
  | 'mfa-required'
  /** Refused for another reason (no permission, SCP, boundary): stepping up will not help. */
  | 'access-denied'
  /** NoSuchEntity: the device (or user) is not there. */
  | 'no-such-entity'
  /** GetSessionToken: the code was wrong, expired or already used. */
  | 'invalid-mfa-code'
  /** GetSessionToken: the serial is not a TOTP device of the caller. */
  | 'mfa-serial-not-callers'
  /** GetSessionToken called with temporary credentials. */
  | 'session-credentials'
  /** Throttling, a 5xx or a lost connection: may succeed later. */
  | 'transient'
  | 'other';

// AWS's own wording for the self-management rule.
const MFA_SESSION_REQUIRED = /authenticated with an MFA device/i;
// How AWS words an explicit deny in the caller's own policies. AWS's sample self-management policy
// denies MFA changes with `BoolIfExists aws:MultiFactorAuthPresent false`, which reads like this;
// an implicit deny ("because no identity-based policy allows") or an SCP/boundary deny does not.
const EXPLICIT_IDENTITY_DENY = /with an explicit deny in an identity-based policy/i;
const INVALID_CODE = /invalid MFA one time pass code/i;
const SERIAL_NOT_CALLERS = /unable to validate MFA code|MFA serial number is valid/i;
const SESSION_CREDENTIALS = /with session credentials/i;
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'TimeoutError', 'RequestTimeout']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function awsErrorCode(error: unknown): string {
  const e = (sdkError(error) ?? {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  // The SDK names modeled errors "<Code>Exception"; the wire code is what AWS documents.
  return name.endsWith('Exception') && name !== 'ExpiredTokenException' ? name.slice(0, -'Exception'.length) : name;
}

export function classifyAwsError(error: unknown): AwsErrorKind {
  const e = (sdkError(error) ?? {}) as SdkErrorShape;
  const code = awsErrorCode(error);
  const message = typeof e.message === 'string' ? e.message : '';
  const status = e.$metadata?.httpStatusCode;
  if (code === 'AccessDenied' || code === 'AccessDeniedException') {
    if (INVALID_CODE.test(message)) return 'invalid-mfa-code';
    if (SERIAL_NOT_CALLERS.test(message)) return 'mfa-serial-not-callers';
    if (SESSION_CREDENTIALS.test(message)) return 'session-credentials';
    if (MFA_SESSION_REQUIRED.test(message) || EXPLICIT_IDENTITY_DENY.test(message)) return 'mfa-required';
    return 'access-denied';
  }
  if (code === 'NoSuchEntity') return 'no-such-entity';
  if (THROTTLING.has(code) || NETWORK.has(code) || NETWORK.has(String(e.code))) return 'transient';
  if (code === 'ServiceFailure' || (status !== undefined && status >= 500)) return 'transient';
  return 'other';
}

/** Wraps a failed call's error to name the call; the action's own errors pass unchanged. */
export function nameFailedCall(error: unknown, call: string): unknown {
  return error instanceof ActionError || error instanceof AwsCallError ? error : new AwsCallError(call, error);
}

/** Whether AWS answered the failed call; without an answer, it may or may not have taken effect. */
export function awsAnswered(error: unknown): boolean {
  return typeof (sdkError(error) as SdkErrorShape | undefined)?.$metadata?.httpStatusCode === 'number';
}

/** One line for the log and the summary: which call failed, the AWS code and message, never a stack. */
export function describeAwsError(error: unknown): string {
  const cause = sdkError(error);
  const code = awsErrorCode(cause);
  const message = cause instanceof Error ? cause.message : String(cause);
  const described = code && code !== 'Error' && !message.startsWith(code) ? `${code}: ${message}` : message;
  if (!(error instanceof AwsCallError)) return described;
  return `${error.call} failed${error.attempts > 1 ? ` after ${error.attempts} attempts` : ''}: ${described}`;
}
