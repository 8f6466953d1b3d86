// What an AWS error means for this action. Pure: takes the SDK's error, returns a decision.

/** An error whose message is written for the person who dispatched the workflow. */
export class ActionError extends Error {
  override readonly name: string = 'ActionError';
}

/** Bad input: names the input, is raised before any AWS call. */
export class InputError extends ActionError {
  readonly input: string;
  constructor(input: string, problem: string) {
    super(`Input ${input} ${problem}`);
    this.input = input;
  }
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
  const e = (error ?? {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  // The SDK names modeled errors "<Code>Exception"; the wire code is what AWS documents.
  return name.endsWith('Exception') && name !== 'ExpiredTokenException' ? name.slice(0, -'Exception'.length) : name;
}

export function classifyAwsError(error: unknown): AwsErrorKind {
  const e = (error ?? {}) as SdkErrorShape;
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

// Which AWS call each error came from: set by the clients' middleware (aws.ts), read when the
// error is described, so every failure names its call without wrapping the SDK's error.
const failedCalls = new WeakMap<object, { call: string; attempts: number }>();

/** Records that `error` is how `call` failed (after `attempts` attempts); returns the error. */
export function nameFailedCall(error: unknown, call: string): unknown {
  if (typeof error === 'object' && error !== null && !(error instanceof ActionError) && !failedCalls.has(error)) {
    const attempts = (error as SdkErrorShape & { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
    failedCalls.set(error, { call, attempts });
  }
  return error;
}

/** Whether AWS answered the failed call; without an answer, it may or may not have taken effect. */
export function awsAnswered(error: unknown): boolean {
  return typeof (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode === 'number';
}

/** One line for the log and the summary: which call failed, the AWS code and message, never a stack. */
export function describeAwsError(error: unknown): string {
  const code = awsErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const described = code && code !== 'Error' && !message.startsWith(code) ? `${code}: ${message}` : message;
  const failed = typeof error === 'object' && error !== null ? failedCalls.get(error) : undefined;
  if (!failed) return described;
  return `${failed.call} failed${failed.attempts > 1 ? ` after ${failed.attempts} attempts` : ''}: ${described}`;
}
