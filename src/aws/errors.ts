// What an AWS error means for this action: its code, its row in the error table, and one line that
// says which call failed, AWS's own words and what to do. Pure: takes the SDK's error, returns text
// or a decision.
import { ActionError } from '../errors.ts';
import { type ErrorRow, errorRow } from './error-table.ts';

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

interface SdkErrorShape {
  name?: unknown;
  /** AWS's code as the query protocol answered it (set by the SDK's deserializer). */
  Code?: unknown;
  /** Node's system error code (ECONNRESET, …). */
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * AWS's code as it is on the wire ("NoSuchEntity", "RegionDisabledException", "Throttling"), or
 * Node's code for a lost connection ("ECONNRESET"); '' when the error carries none.
 */
export function awsErrorCode(error: unknown): string {
  const e = (sdkError(error) ?? {}) as SdkErrorShape;
  if (text(e.Code)) return text(e.Code);
  const name = text(e.name);
  if ((name === '' || name === 'Error') && text(e.code)) return text(e.code);
  // A modeled error built without its wire code (tests do): the SDK's class name, mapped back by the table.
  const row = errorRow(name, '');
  return row?.sdkName === name ? row.code : name;
}

/** AWS's message, as it came. */
function awsErrorMessage(error: unknown): string {
  const e = sdkError(error);
  return e instanceof Error ? e.message : text((e as SdkErrorShape | undefined)?.message);
}

/** The call that failed, when the error names it ("iam:DeactivateMFADevice"). */
export function failedCall(error: unknown): string | undefined {
  return error instanceof AwsCallError ? error.call : undefined;
}

/** The error table's row for this error (its code, its call, AWS's message); undefined for an error the table has no row for. */
export function awsErrorRow(error: unknown, call = failedCall(error)): ErrorRow | undefined {
  if (error instanceof ActionError) return undefined;
  return errorRow(awsErrorCode(error), awsErrorMessage(error), call);
}

/** The row's id, or 'unknown': what the action's steps switch on. */
export function classifyAwsError(error: unknown, call?: string): string {
  return awsErrorRow(error, call)?.id ?? 'unknown';
}

/** Whether the SDK corrected its clock from this answer (a skew error is then worth one more attempt). */
export function clockSkewCorrected(error: unknown): boolean {
  return ((sdkError(error) ?? {}) as SdkErrorShape).$metadata?.clockSkewCorrected === true;
}

/** The call a client command makes, as errors and the audit trail name it: IAM's DeactivateMFADeviceCommand is "iam:DeactivateMFADevice". */
export function callName(service: 'iam' | 'sts', commandName: string | undefined): string {
  return `${service}:${String(commandName).replace(/Command$/, '')}`;
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

/**
 * The line, and what the error table says it means and what to do. An error from AWS that the
 * table has no row for says so, rather than guess.
 */
export function explainAwsError(error: unknown): string {
  const described = describeAwsError(error);
  const row = awsErrorRow(error);
  if (row) return `${described.replace(/[.\s]*$/, '.')} ${row.explanation}`;
  return awsAnswered(error) ? `${described.replace(/[.\s]*$/, '.')} ${UNKNOWN_CODE}` : described;
}

const UNKNOWN_CODE = "The action has no advice for this answer of AWS: the text above is AWS's own.";
