// The error table's rows for the errors AWS's service models list for the calls the action makes.
import {
  type ErrorRow,
  ASSUME,
  CHANGED_ON_THE_WAY,
  CHANGES,
  IAM_CALLS,
  RETRIED_NOT_TRUST,
  READS_OF_THE_USER,
  RUN_CLOCK,
  SETTLING,
  STS_CALLS,
  TEMPORARY,
} from './error-kinds.ts';

/** Errors AWS's service models list for the calls the action makes. */
export const MODELED: readonly ErrorRow[] = [
  {
    id: 'already-removed',
    code: 'NoSuchEntity',
    sdkName: 'NoSuchEntityException',
    on: CHANGES,
    action: 'done',
    explanation: 'The device was listed a moment ago and is gone now: someone else removed it first. Counted as done, not as a failure.',
  },
  {
    id: 'no-such-user',
    code: 'NoSuchEntity',
    sdkName: 'NoSuchEntityException',
    on: READS_OF_THE_USER,
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
    action: 'retry',
    pace: 'transient',
    explanation: `IAM failed inside (HTTP 500). ${TEMPORARY}`,
  },
  {
    id: 'temporarily-unmodifiable',
    code: 'EntityTemporarilyUnmodifiable',
    sdkName: 'EntityTemporarilyUnmodifiableException',
    on: ['iam:DeactivateMFADevice'],
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
    action: 'report',
    explanation: `STS refused a session policy. ${CHANGED_ON_THE_WAY}`,
  },
  {
    id: 'packed-policy-too-large',
    code: 'PackedPolicyTooLarge',
    sdkName: 'PackedPolicyTooLargeException',
    on: ASSUME,
    action: 'report',
    explanation: `STS found the session policies and session tags too large. GitHub's OIDC token carries no session tags. ${CHANGED_ON_THE_WAY}`,
  },
  {
    id: 'idp-rejected-claim',
    code: 'IDPRejectedClaim',
    sdkName: 'IDPRejectedClaimException',
    on: ASSUME,
    action: 'report',
    trustHint: true,
    explanation: "STS rejected a claim of this job's OIDC token.",
  },
  {
    id: 'idp-communication-error',
    code: 'IDPCommunicationError',
    sdkName: 'IDPCommunicationErrorException',
    on: ASSUME,
    action: 'retry',
    pace: 'settling',
    explanation: "STS could not reach GitHub's OIDC issuer (token.actions.githubusercontent.com) to check the token. " + RETRIED_NOT_TRUST,
  },
  {
    id: 'verification-key-unavailable',
    code: 'InvalidIdentityToken',
    sdkName: 'InvalidIdentityTokenException',
    says: 'retrieve verification key',
    on: ASSUME,
    action: 'retry',
    pace: 'settling',
    explanation:
      "STS could not fetch GitHub's signing keys to verify the token; this happens now and then with GitHub's issuer and passes. " + RETRIED_NOT_TRUST,
  },
  {
    id: 'no-oidc-provider',
    code: 'InvalidIdentityToken',
    sdkName: 'InvalidIdentityTokenException',
    says: 'No OpenIDConnect provider found',
    on: ASSUME,
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
    action: 'report',
    explanation:
      "The token's audience is not a client id of the account's OIDC provider: add the audience input's value to the provider's audiences, or leave audience at its default.",
  },
  {
    id: 'invalid-identity-token',
    code: 'InvalidIdentityToken',
    sdkName: 'InvalidIdentityTokenException',
    on: ASSUME,
    action: 'report',
    trustHint: true,
    explanation: "STS refused the token itself (its issuer, signature or the provider's thumbprint), before reading the trust policy.",
  },
  {
    id: 'web-identity-token-expired',
    code: 'ExpiredTokenException',
    on: ASSUME,
    action: 'report',
    explanation:
      `The GitHub OIDC token had expired when STS checked it: ${RUN_CLOCK}, or the job waited too long between requesting the token ` +
      'and using it. Run the workflow again.',
  },
  {
    id: 'region-disabled',
    code: 'RegionDisabledException',
    on: STS_CALLS,
    action: 'report',
    explanation:
      'STS is not activated in aws-region for this account. Activate it (IAM console, Account settings, Security Token Service (STS) ' +
      'endpoints), or set aws-region to a region where it is active, such as us-east-1.',
  },
];
