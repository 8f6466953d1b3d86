// Every AWS error the action can meet, and what it does about each: the one table the classifier
// (errors.ts), the retry strategy (retry.ts), the messages and docs/TROUBLESHOOTING.md all read.
// For each call the action makes, every error AWS's service model lists for it has a row (a unit
// test derives the list from botocore's models and the SDK's own), and so do AWS's common errors
// and the SDK's network errors. Pure data; imports nothing.

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

const IAM_CALLS: readonly Operation[] = ['iam:GetUser', 'iam:ListUserTags', 'iam:ListMFADevices', 'iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice'];
const STS_CALLS: readonly Operation[] = ['sts:AssumeRoleWithWebIdentity', 'sts:GetCallerIdentity', 'sts:GetSessionToken'];
const ASSUME: readonly Operation[] = ['sts:AssumeRoleWithWebIdentity'];
const GET_SESSION_TOKEN: readonly Operation[] = ['sts:GetSessionToken'];
const CHANGES: readonly Operation[] = ['iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice'];
const READS_OF_THE_USER: readonly Operation[] = ['iam:GetUser', 'iam:ListUserTags', 'iam:ListMFADevices'];

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

/** The kinds of policy AWS names in an AccessDenied ("with an explicit deny in a service control policy"). */
export type PolicyKind = 'identity-based' | 'service control' | 'resource control' | 'permissions boundary' | 'session' | 'resource-based' | 'VPC endpoint';

/** Where a row's code comes from. */
export type ErrorSource = 'model' | 'common' | 'sdk';

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
  source: ErrorSource;
  action: ErrorAction;
  /** Set exactly when action is 'retry'. */
  pace?: RetryPace;
  /**
   * For an AccessDenied by a policy: whether it is an explicit deny, and which kind of policy, as far
   * as AWS's message says (older messages name neither).
   */
  deny?: { explicit: boolean | undefined; policy: PolicyKind | undefined };
  /** Whether the role's trust policy is the thing to check (the hint names this job's token's claims). */
  trustHint?: true;
  /** What it means and what to do; follows AWS's own code and message in the action's message. */
  explanation: string;
}

const TEMPORARY = 'It is temporary: the action retried it with backoff within timeout-seconds, and it persisted. Run the workflow again later.';
const SETTLING = 'The AWS SDK does not retry this itself; the action retries it, waiting about 1, 2, 4 and 8 seconds (5 attempts, within timeout-seconds).';
const NOT_TRUST = 'It is not a trust-policy problem.';
const CHECK_ENDPOINT = 'Check what answers at AWS_ENDPOINT_URL, or a proxy that changes requests.';
const CHANGED_ON_THE_WAY = `The action sends no such thing itself. ${CHECK_ENDPOINT}`;
const RUN_CLOCK = "the runner's clock is off by more than five minutes (on a self-hosted runner, synchronise it with NTP)";

/**
 * AccessDenied, as AWS words each kind of refusal (AccessDeniedException is the common errors' other
 * spelling). First match wins: the specific rows come before the general ones.
 */
const ACCESS_DENIED: readonly ErrorRow[] = (
  [
    {
      id: 'mfa-required',
      code: 'AccessDenied',
      says: 'authenticated with an MFA device',
      on: 'every',
      source: 'common',
      action: 'report',
      explanation:
        "AWS's own rule: a user changing their own MFA must call from an MFA-authenticated session. The action steps up to one " +
        "(STS GetSessionToken, once) when it holds that user's own keys and a code in mfa-token.",
    },
    {
      id: 'invalid-mfa-code',
      code: 'AccessDenied',
      says: 'invalid MFA one time pass code',
      on: GET_SESSION_TOKEN,
      source: 'common',
      action: 'report',
      explanation:
        'The MFA code was wrong, expired (a code lasts about 30 seconds) or already used. The code is never sent twice: dispatch again with a fresh one.',
    },
    {
      id: 'mfa-serial-not-callers',
      code: 'AccessDenied',
      says: 'unable to validate MFA code',
      on: GET_SESSION_TOKEN,
      source: 'common',
      action: 'report',
      explanation: 'The device is not a TOTP device of the IAM user whose keys are acting: check step-up-serial-number.',
    },
    {
      id: 'session-credentials',
      code: 'AccessDenied',
      says: 'with session credentials',
      on: GET_SESSION_TOKEN,
      source: 'common',
      action: 'report',
      explanation: "GetSessionToken accepts only an IAM user's long-term keys: aws-access-key-id and aws-secret-access-key are temporary ones.",
    },
    {
      id: 'trust-policy',
      code: 'AccessDenied',
      says: 'not authorized to perform sts:AssumeRoleWithWebIdentity',
      on: ASSUME,
      source: 'common',
      action: 'report',
      trustHint: true,
      explanation: "The role's trust policy does not accept this job's OIDC token.",
    },
    ...denyRows(),
    {
      id: 'access-denied',
      code: 'AccessDenied',
      on: 'every',
      source: 'common',
      action: 'report',
      deny: { explicit: undefined, policy: undefined },
      explanation:
        'AWS refused the call without saying which policy did. In order of likelihood: a deliberate protection of this user (such as the ' +
        "example permission policy's deny of users tagged mfa-reset-protected=true or under /admins/), a service control policy or a " +
        'permissions boundary, a policy that does not allow the call on this user, and only then a condition on aws:MultiFactorAuthPresent.',
    },
  ] satisfies ErrorRow[]
).map((row) => ({ ...row, also: ['AccessDeniedException'] }));

function denyRows(): ErrorRow[] {
  const explicit: Record<PolicyKind, string> = {
    'identity-based':
      'A Deny statement in a policy of the acting identity (or of its group) refused the call. Most often that is deliberate: a protection of ' +
      "this user, such as the example permission policy's deny of users tagged mfa-reset-protected=true or under the path /admins/; such " +
      "a user's MFA is reset by hand, with the access your organisation requires. A Deny conditioned on aws:MultiFactorAuthPresent (as in " +
      "AWS's self-manage sample policy) reads the same.",
    'service control':
      "A service control policy of your AWS Organization refused the call. SCPs are managed in the organization's management account, " +
      "not in this one, and bind every identity here, roles and users alike: ask your organization's administrators which statement " +
      'denies it (it may protect this user, or require MFA).',
    'resource control':
      "A resource control policy of your AWS Organization refused the call: ask your organization's administrators which statement denies it.",
    'permissions boundary':
      'The permissions boundary set on the acting identity refused the call: a boundary caps what the identity may do whatever its ' +
      'policies allow. Check the boundary policy attached to the role or user.',
    session:
      'A session policy refused the call. The action passes none: the credentials were issued with one outside it (an earlier step, ' +
      "or the runner's own role).",
    'resource-based': "A resource-based policy refused the call (for sts:AssumeRoleWithWebIdentity, the role's trust policy).",
    'VPC endpoint': "The policy of the VPC endpoint the request went through refused the call: check the endpoint policy of your (self-hosted) runner's VPC.",
  };
  const implicit: Partial<Record<PolicyKind, string>> = {
    'identity-based':
      'No policy of the acting identity allows this call on this user. The example permission policy allows the users under one ' +
      'path only (its UserPath parameter), so a user elsewhere is refused by design; otherwise allow the call on the user. An Allow ' +
      'conditioned on aws:MultiFactorAuthPresent reads the same.',
    'service control':
      "Your AWS Organization's service control policies do not allow the call: ask your organization's administrators, who manage them " +
      'in the management account.',
    'permissions boundary': 'The permissions boundary set on the acting identity does not allow the call: add it to the boundary, or act as another identity.',
    session: 'The session policy the credentials were issued with does not allow the call. The action passes none: the credentials came from outside it.',
    'resource-based': "No resource-based policy allows the call (for sts:AssumeRoleWithWebIdentity, the role's trust policy).",
    'VPC endpoint': 'The policy of the VPC endpoint the request went through does not allow the call.',
  };
  const named = (policy: PolicyKind): string => (policy === 'permissions boundary' ? policy : `${policy} policy`);
  const article = (policy: PolicyKind): string => (policy === 'identity-based' ? 'an' : 'a');
  return [
    ...(Object.keys(explicit) as PolicyKind[]).map((policy): ErrorRow => ({
      id: `explicit-deny:${policy}`,
      code: 'AccessDenied',
      says: `with an explicit deny in ${article(policy)} ${named(policy)}`,
      on: 'every',
      source: 'common',
      action: 'report',
      deny: { explicit: true, policy },
      explanation: explicit[policy],
    })),
    ...(Object.entries(implicit) as [PolicyKind, string][]).map(([policy, explanation]): ErrorRow => ({
      id: `implicit-deny:${policy}`,
      code: 'AccessDenied',
      says: `because no ${named(policy)} allows`,
      on: 'every',
      source: 'common',
      action: 'report',
      deny: { explicit: false, policy },
      explanation,
    })),
  ];
}

/** Errors AWS's service models list for the calls the action makes. */
const MODELED: readonly ErrorRow[] = [
  {
    id: 'already-removed',
    code: 'NoSuchEntity',
    sdkName: 'NoSuchEntityException',
    on: CHANGES,
    source: 'model',
    action: 'done',
    explanation: 'The device was listed a moment ago and is gone now: someone else removed it first. Counted as done, not as a failure.',
  },
  {
    id: 'no-such-user',
    code: 'NoSuchEntity',
    sdkName: 'NoSuchEntityException',
    on: READS_OF_THE_USER,
    source: 'model',
    action: 'report',
    explanation:
      "There is no IAM user of that name in the account the credentials belong to: check user-name, and the account in the log's " +
      '"Acting as" line. Nothing was changed.',
  },
  {
    id: 'service-failure',
    code: 'ServiceFailure',
    sdkName: 'ServiceFailureException',
    on: IAM_CALLS,
    source: 'model',
    action: 'retry',
    pace: 'transient',
    explanation: `IAM failed inside (HTTP 500). ${TEMPORARY}`,
  },
  {
    id: 'temporarily-unmodifiable',
    code: 'EntityTemporarilyUnmodifiable',
    sdkName: 'EntityTemporarilyUnmodifiableException',
    on: ['iam:DeactivateMFADevice'],
    source: 'model',
    action: 'retry',
    pace: 'settling',
    explanation:
      `IAM could not change the user right now: another change to it (or to its login profile) was still in progress. ${SETTLING} ` +
      'IAM still refused after that: run the workflow again once the other change has finished.',
  },
  {
    id: 'concurrent-modification',
    code: 'ConcurrentModification',
    sdkName: 'ConcurrentModificationException',
    on: CHANGES,
    source: 'model',
    action: 'retry',
    pace: 'settling',
    explanation:
      `Another request changed the same user or device at the same moment. ${SETTLING} If another run or a person is resetting this ` +
      'user too, let it finish, then run the workflow again.',
  },
  {
    id: 'limit-exceeded',
    code: 'LimitExceeded',
    sdkName: 'LimitExceededException',
    on: CHANGES,
    source: 'model',
    action: 'retry',
    pace: 'throttling',
    explanation:
      'IAM answered that a limit was exceeded; for these calls that means too many requests at once, and the SDK retries it as ' + `throttling. ${TEMPORARY}`,
  },
  {
    id: 'delete-conflict',
    code: 'DeleteConflict',
    sdkName: 'DeleteConflictException',
    on: ['iam:DeleteVirtualMFADevice'],
    source: 'model',
    action: 'retry',
    pace: 'settling',
    explanation:
      'IAM still sees the virtual device as assigned to a user. IAM is eventually consistent, so right after a deactivation the ' +
      `deletion can meet this for a few seconds. ${SETTLING} The device is deactivated but not deleted, and a rerun no longer lists it: ` +
      'delete it with aws iam delete-virtual-mfa-device --serial-number and its serial.',
  },
  {
    id: 'malformed-policy-document',
    code: 'MalformedPolicyDocument',
    sdkName: 'MalformedPolicyDocumentException',
    on: ASSUME,
    source: 'model',
    action: 'report',
    explanation: `STS refused a session policy. ${CHANGED_ON_THE_WAY}`,
  },
  {
    id: 'packed-policy-too-large',
    code: 'PackedPolicyTooLarge',
    sdkName: 'PackedPolicyTooLargeException',
    on: ASSUME,
    source: 'model',
    action: 'report',
    explanation: `STS found the session policies and session tags too large. GitHub's OIDC token carries no session tags. ${CHANGED_ON_THE_WAY}`,
  },
  {
    id: 'idp-rejected-claim',
    code: 'IDPRejectedClaim',
    sdkName: 'IDPRejectedClaimException',
    on: ASSUME,
    source: 'model',
    action: 'report',
    trustHint: true,
    explanation: "STS rejected a claim of this job's OIDC token.",
  },
  {
    id: 'idp-communication-error',
    code: 'IDPCommunicationError',
    sdkName: 'IDPCommunicationErrorException',
    on: ASSUME,
    source: 'model',
    action: 'retry',
    pace: 'settling',
    explanation:
      "STS could not reach GitHub's OIDC issuer (token.actions.githubusercontent.com) to check the token. " +
      `${NOT_TRUST} The action retried it, waiting about 1, 2, 4 and 8 seconds within timeout-seconds; run the workflow again later.`,
  },
  {
    id: 'verification-key-unavailable',
    code: 'InvalidIdentityToken',
    sdkName: 'InvalidIdentityTokenException',
    says: 'retrieve verification key',
    on: ASSUME,
    source: 'model',
    action: 'retry',
    pace: 'settling',
    explanation:
      "STS could not fetch GitHub's signing keys to verify the token; this happens now and then with GitHub's issuer and passes. " +
      `${NOT_TRUST} The action retried it, waiting about 1, 2, 4 and 8 seconds within timeout-seconds; run the workflow again later.`,
  },
  {
    id: 'no-oidc-provider',
    code: 'InvalidIdentityToken',
    sdkName: 'InvalidIdentityTokenException',
    says: 'No OpenIDConnect provider found',
    on: ASSUME,
    source: 'model',
    action: 'report',
    explanation:
      "The account has no IAM OIDC identity provider for GitHub's issuer: create one for https://token.actions.githubusercontent.com " +
      'with the client id (audience) sts.amazonaws.com; examples/ has a CloudFormation template.',
  },
  {
    id: 'token-audience',
    code: 'InvalidIdentityToken',
    sdkName: 'InvalidIdentityTokenException',
    says: 'Incorrect token audience',
    on: ASSUME,
    source: 'model',
    action: 'report',
    explanation:
      "The token's audience is not a client id of the account's OIDC provider: add the audience input's value to the provider's audiences, or leave audience at its default.",
  },
  {
    id: 'invalid-identity-token',
    code: 'InvalidIdentityToken',
    sdkName: 'InvalidIdentityTokenException',
    on: ASSUME,
    source: 'model',
    action: 'report',
    trustHint: true,
    explanation: "STS refused the token itself (its issuer, signature or the provider's thumbprint), before reading the trust policy.",
  },
  {
    id: 'web-identity-token-expired',
    code: 'ExpiredTokenException',
    on: ASSUME,
    source: 'model',
    action: 'report',
    explanation:
      `The GitHub OIDC token had expired when STS checked it: ${RUN_CLOCK}, or the job waited too long between requesting the token ` +
      'and using it. Run the workflow again.',
  },
  {
    id: 'region-disabled',
    code: 'RegionDisabledException',
    on: STS_CALLS,
    source: 'model',
    action: 'report',
    explanation:
      'STS is not activated in aws-region for this account. Activate it (IAM console, Account settings, Security Token Service (STS) ' +
      'endpoints), or set aws-region to a region where it is active, such as us-east-1.',
  },
];

/** AWS's common errors (every API can answer them), and the SDK's own. */
const COMMON: readonly ErrorRow[] = [
  ...ACCESS_DENIED,
  {
    id: 'throttling',
    code: 'Throttling',
    also: ['ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException'],
    on: 'every',
    source: 'common',
    action: 'retry',
    pace: 'throttling',
    explanation: `AWS throttled the call (too many requests to this account's IAM or STS at once, from this run or others). ${TEMPORARY}`,
  },
  {
    id: 'internal-failure',
    code: 'InternalFailure',
    also: ['InternalError', 'InternalServerError'],
    on: 'every',
    source: 'common',
    action: 'retry',
    pace: 'transient',
    explanation: `An error inside AWS. ${TEMPORARY}`,
  },
  {
    id: 'service-unavailable',
    code: 'ServiceUnavailable',
    also: ['ServiceUnavailableException'],
    on: 'every',
    source: 'common',
    action: 'retry',
    pace: 'transient',
    explanation: `AWS's service was unavailable (HTTP 503). ${TEMPORARY}`,
  },
  {
    id: 'no-answer',
    code: 'TimeoutError',
    also: [
      'RequestTimeout',
      'RequestTimeoutException',
      'ECONNRESET',
      'ECONNREFUSED',
      'EPIPE',
      'ETIMEDOUT',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ENOTFOUND',
      'EAI_AGAIN',
    ],
    on: 'every',
    source: 'sdk',
    action: 'retry',
    pace: 'transient',
    explanation:
      'AWS gave no answer (a timeout or a lost connection), and the SDK retried with backoff within timeout-seconds. A change may or may ' +
      'not have taken effect: run the workflow again, which settles it.',
  },
  {
    id: 'expired-token',
    code: 'ExpiredToken',
    on: 'every',
    source: 'common',
    action: 'report',
    explanation:
      "The credentials' session expired before the call: the role session (role-duration-seconds) or the MFA session ended, or the " +
      'temporary credentials the runner gave (default chain) had run out. Run the workflow again.',
  },
  {
    id: 'invalid-client-token-id',
    code: 'InvalidClientTokenId',
    on: 'every',
    source: 'common',
    action: 'report',
    explanation:
      'AWS does not know the access key that signed the call: the key was deleted or deactivated, or belongs to another partition than ' +
      "aws-region's (aws-cn, aws-us-gov). Check aws-access-key-id, or create a new key for the user.",
  },
  {
    id: 'signature-does-not-match',
    code: 'SignatureDoesNotMatch',
    on: 'every',
    source: 'common',
    action: 'report',
    explanation:
      `AWS computed another signature: aws-secret-access-key does not belong to aws-access-key-id (a typo, or a swapped pair), or ${RUN_CLOCK}. ` +
      "The SDK corrects its clock from AWS's answer and retries once by itself.",
  },
  {
    id: 'request-expired',
    code: 'RequestExpired',
    on: 'every',
    source: 'common',
    action: 'report',
    explanation: `The request reached AWS too long after it was signed: ${RUN_CLOCK}. The SDK corrects its clock from AWS's answer and retries once by itself.`,
  },
  {
    id: 'incomplete-signature',
    code: 'IncompleteSignature',
    on: 'every',
    source: 'common',
    action: 'report',
    explanation: `AWS found the request's signature incomplete: something between the action and AWS changed the request. ${CHECK_ENDPOINT}`,
  },
  {
    id: 'missing-authentication-token',
    code: 'MissingAuthenticationToken',
    on: 'every',
    source: 'common',
    action: 'report',
    explanation: `The request reached AWS without a signature it accepts: no credentials reached the SDK, or something changed the request. ${CHECK_ENDPOINT}`,
  },
  {
    id: 'invalid-action',
    code: 'InvalidAction',
    on: 'every',
    source: 'common',
    action: 'report',
    explanation: 'The endpoint does not know this call: AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_IAM or _STS) points at something that is not IAM or STS.',
  },
  {
    id: 'not-authorized',
    code: 'NotAuthorized',
    on: 'every',
    source: 'common',
    action: 'report',
    explanation: 'AWS answered that the acting identity may not make this call, without naming a policy: check its policies for this call on the user.',
  },
  {
    id: 'opt-in-required',
    code: 'OptInRequired',
    on: 'every',
    source: 'common',
    action: 'report',
    explanation:
      'The account is not signed up for this service in aws-region (an opt-in region that is not enabled): enable the region for the account, or choose another aws-region.',
  },
  {
    id: 'validation-error',
    code: 'ValidationError',
    also: ['InvalidParameterValue', 'InvalidParameterCombination', 'MissingParameter', 'InvalidQueryParameter', 'MalformedQueryString', 'MissingAction'],
    on: 'every',
    source: 'common',
    action: 'report',
    explanation:
      'AWS refused a parameter (its message names it). The action checks every input before calling AWS, so the value came from an AWS ' +
      `answer (a serial ListMFADevices returned) or was changed on the way. ${CHANGED_ON_THE_WAY}`,
  },
  {
    id: 'no-credentials',
    code: 'CredentialsProviderError',
    on: 'every',
    source: 'sdk',
    action: 'report',
    explanation:
      "The SDK's default credential chain found no credentials: give the action role-to-assume (with permissions: id-token: write) or " +
      'aws-access-key-id and aws-secret-access-key.',
  },
];

export const ERROR_TABLE: readonly ErrorRow[] = [...MODELED, ...COMMON];

/**
 * The row for an error: by its code (AWS's, or the SDK's class name for a modeled error), the call
 * it answered (when known) and AWS's message. The first row that fits wins.
 */
export function errorRow(code: string, message: string, operation?: string): ErrorRow | undefined {
  const known = (OPERATIONS as readonly string[]).includes(operation ?? '') ? (operation as Operation) : undefined;
  return ERROR_TABLE.find(
    (row) =>
      (row.code === code || row.sdkName === code || row.also?.includes(code)) &&
      (known === undefined || row.on === 'every' || row.on.includes(known)) &&
      (row.says === undefined || words(message).includes(words(row.says))),
  );
}

const words = (text: string): string => text.replace(/\s+/g, ' ').toLowerCase();
