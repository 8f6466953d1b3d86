// The classifier: an error as the AWS SDK builds it (its own error classes) finds its row in the error
// table, by AWS's code, the call it answered and AWS's wording; the messages say the call, AWS's words
// and the row's explanation.
import {
  ConcurrentModificationException,
  DeleteConflictException,
  EntityTemporarilyUnmodifiableException,
  IAMServiceException,
  LimitExceededException,
  NoSuchEntityException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import {
  ExpiredTokenException,
  IDPCommunicationErrorException,
  IDPRejectedClaimException,
  InvalidIdentityTokenException,
  MalformedPolicyDocumentException,
  PackedPolicyTooLargeException,
  RegionDisabledException,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLE } from '../../src/aws/error-table.ts';
import { AwsCallError, awsErrorCode, classifyAwsError, describeAwsError, explainAwsError } from '../../src/aws/errors.ts';
import { ActionError } from '../../src/errors.ts';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const iamError = (name: string, status: number, message: string) => new IAMServiceException({ name, $fault: 'client', message, ...meta(status) });
const stsError = (name: string, status: number, message: string) => new STSServiceException({ name, $fault: 'client', message, ...meta(status) });
const denied = (message: string) => iamError('AccessDenied', 403, message);
const by = (tail: string) =>
  `User: arn:aws:sts::123456789012:assumed-role/gha-mfa-admin/gh-1 is not authorized to perform: iam:DeactivateMFADevice on resource: user bob ${tail}`;

describe('classifyAwsError: the row an error finds', () => {
  const rows: { name: string; error: unknown; call?: string; id: string }[] = [
    {
      name: "AWS's MFA rule",
      error: denied('To complete this action, please ensure that you are authenticated with an MFA device that is enabled for this user.'),
      id: 'mfa-required',
    },
    { name: 'explicit deny, identity-based', error: denied(by('with an explicit deny in an identity-based policy')), id: 'explicit-deny:identity-based' },
    { name: 'explicit deny, SCP', error: denied(by('with an explicit deny in a service control policy')), id: 'explicit-deny:service control' },
    { name: 'explicit deny, RCP', error: denied(by('with an explicit deny in a resource control policy')), id: 'explicit-deny:resource control' },
    {
      name: 'explicit deny, permissions boundary',
      error: denied(by('with an explicit deny in a permissions boundary')),
      id: 'explicit-deny:permissions boundary',
    },
    { name: 'explicit deny, session policy', error: denied(by('with an explicit deny in a session policy')), id: 'explicit-deny:session' },
    {
      name: 'implicit deny, identity-based',
      error: denied(by('because no identity-based policy allows the iam:DeactivateMFADevice action')),
      id: 'implicit-deny:identity-based',
    },
    {
      name: 'implicit deny, SCP',
      error: denied(by('because no service control policy allows the iam:DeactivateMFADevice action')),
      id: 'implicit-deny:service control',
    },
    {
      name: 'implicit deny, boundary',
      error: denied(by('because no permissions boundary allows the iam:DeactivateMFADevice action')),
      id: 'implicit-deny:permissions boundary',
    },
    { name: 'AccessDenied without a reason (older wording)', error: denied(by('').trim()), id: 'access-denied' },
    { name: 'a line break inside the wording', error: denied(by('with an explicit\ndeny in a service control policy')), id: 'explicit-deny:service control' },
    {
      name: 'AccessDeniedException spelling',
      error: iamError('AccessDeniedException', 400, by('with an explicit deny in a permissions boundary')),
      id: 'explicit-deny:permissions boundary',
    },
    {
      name: 'wrong code',
      error: stsError('AccessDenied', 403, 'MultiFactorAuthentication failed with invalid MFA one time pass code. '),
      call: 'sts:GetSessionToken',
      id: 'invalid-mfa-code',
    },
    {
      name: 'serial not the caller’s',
      error: stsError(
        'AccessDenied',
        403,
        'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.',
      ),
      call: 'sts:GetSessionToken',
      id: 'mfa-serial-not-callers',
    },
    {
      name: 'session credentials',
      error: stsError('AccessDenied', 403, 'Cannot call GetSessionToken with session credentials'),
      call: 'sts:GetSessionToken',
      id: 'session-credentials',
    },
    {
      name: 'trust policy',
      error: stsError('AccessDenied', 403, 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
      call: 'sts:AssumeRoleWithWebIdentity',
      id: 'trust-policy',
    },
    {
      name: 'NoSuchEntity on a device',
      error: new NoSuchEntityException({ message: 'gone', ...meta(404) }),
      call: 'iam:DeactivateMFADevice',
      id: 'already-removed',
    },
    { name: 'NoSuchEntity on the user', error: new NoSuchEntityException({ message: 'gone', ...meta(404) }), call: 'iam:GetUser', id: 'no-such-user' },
    { name: 'ServiceFailure', error: new ServiceFailureException({ message: 'oops', ...meta(500) }), id: 'service-failure' },
    {
      name: 'EntityTemporarilyUnmodifiable',
      error: new EntityTemporarilyUnmodifiableException({ message: 'busy', ...meta(409) }),
      id: 'temporarily-unmodifiable',
    },
    { name: 'ConcurrentModification', error: new ConcurrentModificationException({ message: 'busy', ...meta(409) }), id: 'concurrent-modification' },
    { name: 'DeleteConflict', error: new DeleteConflictException({ message: 'in use', ...meta(409) }), id: 'delete-conflict' },
    { name: 'LimitExceeded', error: new LimitExceededException({ message: 'x', ...meta(409) }), id: 'limit-exceeded' },
    {
      name: 'verification key',
      error: new InvalidIdentityTokenException({
        message: "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation",
        ...meta(400),
      }),
      id: 'verification-key-unavailable',
    },
    {
      name: 'no OIDC provider',
      error: new InvalidIdentityTokenException({
        message: 'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
        ...meta(400),
      }),
      id: 'no-oidc-provider',
    },
    { name: 'audience', error: new InvalidIdentityTokenException({ message: 'Incorrect token audience', ...meta(400) }), id: 'token-audience' },
    {
      name: 'another invalid token',
      error: new InvalidIdentityTokenException({ message: 'The ID Token provided is not a valid JWT', ...meta(400) }),
      id: 'invalid-identity-token',
    },
    { name: 'IDPCommunicationError', error: new IDPCommunicationErrorException({ message: 'x', ...meta(400) }), id: 'idp-communication-error' },
    { name: 'IDPRejectedClaim', error: new IDPRejectedClaimException({ message: 'x', ...meta(403) }), id: 'idp-rejected-claim' },
    {
      name: 'ExpiredTokenException',
      error: new ExpiredTokenException({ message: 'Token expired: current date/time 1 must be before the expiration date/time 0', ...meta(400) }),
      id: 'web-identity-token-expired',
    },
    {
      name: 'RegionDisabledException',
      error: new RegionDisabledException({ message: 'STS is not activated in this region', ...meta(403) }),
      id: 'region-disabled',
    },
    { name: 'MalformedPolicyDocument', error: new MalformedPolicyDocumentException({ message: 'x', ...meta(400) }), id: 'malformed-policy-document' },
    { name: 'PackedPolicyTooLarge', error: new PackedPolicyTooLargeException({ message: 'x', ...meta(400) }), id: 'packed-policy-too-large' },
    { name: 'Throttling', error: iamError('Throttling', 400, 'Rate exceeded'), id: 'throttling' },
    { name: 'ExpiredToken', error: iamError('ExpiredToken', 403, 'The security token included in the request is expired'), id: 'expired-token' },
    {
      name: 'InvalidClientTokenId',
      error: stsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'),
      id: 'invalid-client-token-id',
    },
    {
      name: 'SignatureDoesNotMatch',
      error: stsError('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match'),
      id: 'signature-does-not-match',
    },
    { name: 'socket reset', error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), id: 'no-answer' },
    { name: 'timeout', error: Object.assign(new Error('timed out'), { name: 'TimeoutError' }), id: 'no-answer' },
    {
      name: 'no credentials',
      error: Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      id: 'no-credentials',
    },
    { name: 'a code the table does not know', error: iamError('SomethingNew', 400, 'x'), id: 'unknown' },
    { name: 'the action’s own error', error: new ActionError('not from AWS'), id: 'unknown' },
    { name: 'not an error', error: undefined, id: 'unknown' },
  ];
  it.each(rows)('$name → $id', ({ error, call, id }) => expect(classifyAwsError(error, call)).toBe(id));

  it('the call named by the clients’ middleware picks the row: NoSuchEntity is done for a device, reported for the user', () => {
    const gone = new NoSuchEntityException({ message: 'gone', ...meta(404) });
    expect(classifyAwsError(new AwsCallError('iam:DeleteVirtualMFADevice', gone))).toBe('already-removed');
    expect(classifyAwsError(new AwsCallError('iam:ListMFADevices', gone))).toBe('no-such-user');
  });

  it('every row is found by an error built like the SDK builds it', () => {
    for (const row of ERROR_TABLE) {
      const error = iamError(row.sdkName ?? row.code, 400, row.says ? `… ${row.says} …` : 'AWS says no');
      const call = row.on === 'every' ? undefined : row.on[0];
      expect(classifyAwsError(error, call), row.id).toBe(row.id);
    }
  });
});

describe("awsErrorCode: AWS's code as on the wire", () => {
  it.each([
    {
      name: 'from the deserializer (Code)',
      error: Object.assign(new Error('x'), { name: 'EntityTemporarilyUnmodifiableException', Code: 'EntityTemporarilyUnmodifiable' }),
      code: 'EntityTemporarilyUnmodifiable',
    },
    { name: 'a modeled class built by hand', error: new ConcurrentModificationException({ message: 'x', ...meta(409) }), code: 'ConcurrentModification' },
    { name: 'RegionDisabledException keeps AWS’s code', error: new RegionDisabledException({ message: 'x', ...meta(403) }), code: 'RegionDisabledException' },
    { name: 'ExpiredTokenException keeps AWS’s code', error: new ExpiredTokenException({ message: 'x', ...meta(400) }), code: 'ExpiredTokenException' },
    { name: 'an unmodeled error', error: iamError('Throttling', 400, 'x'), code: 'Throttling' },
    { name: "Node's code", error: Object.assign(new Error('x'), { code: 'ECONNRESET' }), code: 'ECONNRESET' },
  ])('$name: $code', ({ error, code }) => expect(awsErrorCode(error)).toBe(code));
});

describe('describeAwsError and explainAwsError', () => {
  it.each([
    { error: new NoSuchEntityException({ message: 'gone', ...meta(404) }), expected: 'NoSuchEntity: gone' },
    { error: denied('nope'), expected: 'AccessDenied: nope' },
    { error: new RegionDisabledException({ message: 'STS is not activated', ...meta(403) }), expected: 'RegionDisabledException: STS is not activated' },
    { error: new Error('plain'), expected: 'plain' },
    { error: 'text', expected: 'text' },
    {
      error: new AwsCallError(
        'iam:DeactivateMFADevice',
        Object.assign(new EntityTemporarilyUnmodifiableException({ message: 'busy', ...meta(409) }), { $metadata: { httpStatusCode: 409, attempts: 5 } }),
      ),
      expected: 'iam:DeactivateMFADevice failed after 5 attempts: EntityTemporarilyUnmodifiable: busy',
    },
  ])('$expected', ({ error, expected }) => expect(describeAwsError(error)).toBe(expected));

  it("adds the row's explanation", () => {
    const error = new AwsCallError(
      'sts:GetSessionToken',
      new RegionDisabledException({ message: 'STS is not activated in this region for account:123456789012.', ...meta(403) }),
    );
    expect(explainAwsError(error)).toBe(
      'sts:GetSessionToken failed: RegionDisabledException: STS is not activated in this region for account:123456789012. STS is not activated in aws-region for this ' +
        'account. Activate it (IAM console, Account settings, Security Token Service (STS) endpoints), or set aws-region to a region where it is active, such as us-east-1.',
    );
  });

  it('says so when AWS answered with a code the table does not know', () => {
    expect(explainAwsError(new AwsCallError('iam:GetUser', iamError('SomethingNew', 400, 'x')))).toBe(
      "iam:GetUser failed: SomethingNew: x. The action has no advice for this answer of AWS: the text above is AWS's own.",
    );
  });

  it('an error that is not an answer from AWS is only described', () => {
    expect(explainAwsError(new Error('plain'))).toBe('plain');
  });
});
