// The request log: one entry per request, kept whole for tests to count and inspect; anything
// printed goes through redact() first so codes and tokens never reach a terminal or a file.
import type { FaultKind } from './faults.ts';

export interface RequestLogEntry {
  time: string;
  action: string;
  service: 'iam' | 'sts' | 'oidc' | 'github';
  /** The caller's ARN (assumed-role ARN for role sessions), or 'anonymous'. */
  identity: string;
  accessKeyId?: string;
  /** Whether the caller's session was MFA-authenticated. */
  mfa: boolean;
  params: Record<string, string>;
  /** 'ok', or the AWS error code answered (or that would have been, for a lost response). */
  outcome: string;
  /** HTTP status sent; 0 when the connection was reset instead. */
  status: number;
  fault?: FaultKind;
}

const SECRET_PARAMS = new Set(['TokenCode', 'AuthenticationCode1', 'AuthenticationCode2', 'WebIdentityToken']);

export function redact(entry: RequestLogEntry): RequestLogEntry {
  const params = Object.fromEntries(Object.entries(entry.params).map(([name, value]) => [name, SECRET_PARAMS.has(name) ? '***' : value]));
  return { ...entry, params };
}
