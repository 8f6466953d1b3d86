// The error table's rows for AWS's common errors, which any call can answer, and the SDK's own.
import { type ErrorRow, CHANGED_ON_THE_WAY, CHECK_ENDPOINT, RUN_CLOCK, TEMPORARY } from './error-kinds.ts';
import { ACCESS_DENIED } from './error-rows-denied.ts';

/** AWS's common errors (every API can answer them), and the SDK's own. */
export const COMMON: readonly ErrorRow[] = [
  ...ACCESS_DENIED,
  {
    id: 'throttling',
    code: 'Throttling',
    also: ['ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException'],
    on: 'every',
    action: 'retry',
    pace: 'throttling',
    explanation: `AWS throttled the call (too many requests to this account's IAM or STS at once, from this run or others). ${TEMPORARY}`,
  },
  {
    id: 'internal-failure',
    code: 'InternalFailure',
    also: ['InternalError', 'InternalServerError'],
    on: 'every',
    action: 'retry',
    pace: 'transient',
    explanation: `An error inside AWS. ${TEMPORARY}`,
  },
  {
    id: 'service-unavailable',
    code: 'ServiceUnavailable',
    also: ['ServiceUnavailableException'],
    on: 'every',
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
    action: 'report',
    explanation:
      "The credentials' session expired before the call: the role session (role-duration-seconds) or the MFA session ended, or the " +
      'temporary credentials the runner gave (default chain) had run out. Run the workflow again.',
  },
  {
    id: 'invalid-client-token-id',
    code: 'InvalidClientTokenId',
    on: 'every',
    action: 'report',
    explanation:
      'AWS does not know the access key that signed the call: the key was deleted or deactivated, or belongs to another partition than ' +
      "aws-region's (aws-cn, aws-us-gov). Check aws-access-key-id, or create a new key for the user.",
  },
  {
    id: 'signature-does-not-match',
    code: 'SignatureDoesNotMatch',
    on: 'every',
    action: 'report',
    explanation:
      `AWS computed another signature: aws-secret-access-key does not belong to aws-access-key-id (a typo, or a swapped pair), or ${RUN_CLOCK}. ` +
      "The SDK corrects its clock from AWS's answer and retries once by itself.",
  },
  {
    id: 'request-expired',
    code: 'RequestExpired',
    on: 'every',
    action: 'report',
    explanation: `The request reached AWS too long after it was signed: ${RUN_CLOCK}. The SDK corrects its clock from AWS's answer and retries once by itself.`,
  },
  {
    id: 'incomplete-signature',
    code: 'IncompleteSignature',
    on: 'every',
    action: 'report',
    explanation: `AWS found the request's signature incomplete: something between the action and AWS changed the request. ${CHECK_ENDPOINT}`,
  },
  {
    id: 'missing-authentication-token',
    code: 'MissingAuthenticationToken',
    on: 'every',
    action: 'report',
    explanation: `The request reached AWS without a signature it accepts: no credentials reached the SDK, or something changed the request. ${CHECK_ENDPOINT}`,
  },
  {
    id: 'invalid-action',
    code: 'InvalidAction',
    on: 'every',
    action: 'report',
    explanation: 'The endpoint does not know this call: AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_IAM or _STS) points at something that is not IAM or STS.',
  },
  {
    id: 'not-authorized',
    code: 'NotAuthorized',
    on: 'every',
    action: 'report',
    explanation: 'AWS answered that the acting identity may not make this call, without naming a policy: check its policies for this call on the user.',
  },
  {
    id: 'opt-in-required',
    code: 'OptInRequired',
    on: 'every',
    action: 'report',
    explanation:
      'The account is not signed up for this service in aws-region (an opt-in region that is not enabled): enable the region for the account, or choose another aws-region.',
  },
  {
    id: 'validation-error',
    code: 'ValidationError',
    also: ['InvalidParameterValue', 'InvalidParameterCombination', 'MissingParameter', 'InvalidQueryParameter', 'MalformedQueryString', 'MissingAction'],
    on: 'every',
    action: 'report',
    explanation:
      'AWS refused a parameter (its message names it). The action checks every input before calling AWS, so the value came from an AWS ' +
      `answer (a serial ListMFADevices returned) or was changed on the way. ${CHANGED_ON_THE_WAY}`,
  },
  {
    id: 'no-credentials',
    code: 'CredentialsProviderError',
    on: 'every',
    action: 'report',
    explanation:
      "The SDK's default credential chain found no credentials: give the action role-to-assume (with permissions: id-token: write) or " +
      'aws-access-key-id and aws-secret-access-key.',
  },
];
