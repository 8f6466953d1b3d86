// The shape of the error table's rows, the calls they are for, and the words several rows share.
// Types and constants only; the rows live in error-rows-*.ts, assembled by error-table.ts.

/** The AWS calls the action makes, as IAM policies and the action's messages name them. */
export const OPERATIONS = [
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetCallerIdentity',
  'sts:GetSessionToken',
  'iam:GetUser',
  'iam:ListUserTags',
  'iam:ListMFADevices',
  'iam:DeactivateMFADevice',
  'iam:DeleteVirtualMFADevice',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export const IAM_CALLS: readonly Operation[] = [
  'iam:GetUser',
  'iam:ListUserTags',
  'iam:ListMFADevices',
  'iam:DeactivateMFADevice',
  'iam:DeleteVirtualMFADevice',
];
export const STS_CALLS: readonly Operation[] = ['sts:AssumeRoleWithWebIdentity', 'sts:GetCallerIdentity', 'sts:GetSessionToken'];
export const ASSUME: readonly Operation[] = ['sts:AssumeRoleWithWebIdentity'];
export const GET_SESSION_TOKEN: readonly Operation[] = ['sts:GetSessionToken'];
export const CHANGES: readonly Operation[] = ['iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice'];
export const READS_OF_THE_USER: readonly Operation[] = ['iam:GetUser', 'iam:ListUserTags', 'iam:ListMFADevices'];

/**
 * 'retry': temporary; retried with backoff within timeout-seconds (retry.ts), reported if it persists.
 * 'report': retrying cannot help; the run stops with the row's explanation.
 * 'done': the call's goal is already met (a device someone else removed first).
 */
export type ErrorAction = 'retry' | 'report' | 'done';

/**
 * How a retried error is paced. 'throttling' and 'transient' are the SDK's standard strategy as it
 * is (full jitter on a 1 s or 50 ms base); 'settling' waits for AWS to settle (IAM's eventual
 * consistency, another request finishing, GitHub's keys becoming reachable): 1, 2, 4, 8 s, each
 * with jitter between half and all of it.
 */
export type RetryPace = 'throttling' | 'transient' | 'settling';

export interface ErrorRow {
  /** Unique; code switches on it. */
  id: string;
  /** AWS's code as it is on the wire (botocore's `error.code`), or the SDK's name for a network error. */
  code: string;
  /** Other codes that mean the same: AWS's documented spellings, the SDK's names for network errors. */
  also?: readonly string[];
  /** The SDK's class name when it differs from the code (a modeled error: `NoSuchEntityException`). */
  sdkName?: string;
  /** Only when AWS's message contains these words (ignoring case and line breaks): one code can mean several things, AccessDenied above all. */
  says?: string;
  /** The calls the row is for; 'every' for AWS's common errors and the SDK's own. */
  on: readonly Operation[] | 'every';
  action: ErrorAction;
  /** Set exactly when action is 'retry'. */
  pace?: RetryPace;
  /**
   * For an AccessDenied by a policy: whether it is an explicit deny, as far as AWS's message says
   * (older messages do not; the row's id and explanation name the kind of policy).
   */
  deny?: { explicit: boolean | undefined };
  /** Whether the role's trust policy is the thing to check (the hint names this job's token's claims). */
  trustHint?: true;
  /** What it means and what to do; follows AWS's own code and message in the action's message. */
  explanation: string;
}

export const TEMPORARY = 'It is temporary: the action retried it with backoff within timeout-seconds, and it persisted. Run the workflow again later.';
export const SETTLING =
  'The AWS SDK does not retry this itself; the action retries it, waiting about 1, 2, 4 and 8 seconds (5 attempts, within timeout-seconds).';
export const NOT_TRUST = 'It is not a trust-policy problem.';
/** The identity provider's keys or service out of reach: temporary on GitHub's or AWS's side. */
export const RETRIED_NOT_TRUST = `${NOT_TRUST} The action retried it, waiting about 1, 2, 4 and 8 seconds within timeout-seconds; run the workflow again later.`;
export const CHECK_ENDPOINT = 'Check what answers at AWS_ENDPOINT_URL, or a proxy that changes requests.';
export const CHANGED_ON_THE_WAY = `The action sends no such thing itself. ${CHECK_ENDPOINT}`;
export const RUN_CLOCK = "the runner's clock is off by more than five minutes (on a self-hosted runner, synchronise it with NTP)";
