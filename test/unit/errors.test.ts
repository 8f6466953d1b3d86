import { IAMServiceException, NoSuchEntityException, ServiceFailureException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { type AwsErrorKind, classifyAwsError, describeAwsError } from '../../src/aws/errors.ts';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const denied = (message: string) => new IAMServiceException({ name: 'AccessDenied', $fault: 'client', message, ...meta(403) });

describe('classifyAwsError', () => {
  const rows: { name: string; error: unknown; kind: AwsErrorKind }[] = [
    {
      name: 'self-management rule',
      error: denied('To complete this action, please ensure that you are authenticated with an MFA device that is enabled for this user.'),
      kind: 'mfa-required',
    },
    {
      name: 'MFA-conditioned explicit deny',
      error: denied(
        'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:DeactivateMFADevice on resource: user bob with an explicit deny in an identity-based policy',
      ),
      kind: 'mfa-required',
    },
    {
      name: 'implicit deny',
      error: denied(
        'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:DeactivateMFADevice on resource: user carol because no identity-based policy allows the iam:DeactivateMFADevice action',
      ),
      kind: 'access-denied',
    },
    {
      name: 'SCP deny',
      error: denied(
        'User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: iam:DeactivateMFADevice with an explicit deny in a service control policy',
      ),
      kind: 'access-denied',
    },
    { name: 'invalid code', error: denied('MultiFactorAuthentication failed with invalid MFA one time pass code. '), kind: 'invalid-mfa-code' },
    {
      name: 'serial not the caller’s',
      error: denied(
        'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.',
      ),
      kind: 'mfa-serial-not-callers',
    },
    { name: 'session credentials', error: denied('Cannot call GetSessionToken with session credentials'), kind: 'session-credentials' },
    { name: 'no such entity', error: new NoSuchEntityException({ message: 'MFA device not found', ...meta(404) }), kind: 'no-such-entity' },
    { name: 'throttling', error: new IAMServiceException({ name: 'Throttling', $fault: 'client', message: 'Rate exceeded', ...meta(400) }), kind: 'transient' },
    { name: 'service failure', error: new ServiceFailureException({ message: 'oops', ...meta(500) }), kind: 'transient' },
    { name: 'socket reset', error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), kind: 'transient' },
    { name: 'timeout', error: Object.assign(new Error('timed out'), { name: 'TimeoutError' }), kind: 'transient' },
    { name: 'limit exceeded', error: new IAMServiceException({ name: 'LimitExceededException', $fault: 'client', message: 'x', ...meta(409) }), kind: 'other' },
    { name: 'not an error', error: undefined, kind: 'other' },
  ];
  it.each(rows)('$name → $kind', ({ error, kind }) => expect(classifyAwsError(error)).toBe(kind));
});

describe('describeAwsError', () => {
  it.each([
    { error: new NoSuchEntityException({ message: 'gone', ...meta(404) }), expected: 'NoSuchEntity: gone' },
    { error: denied('nope'), expected: 'AccessDenied: nope' },
    { error: new Error('plain'), expected: 'plain' },
    { error: 'text', expected: 'text' },
  ])('$expected', ({ error, expected }) => expect(describeAwsError(error)).toBe(expected));
});
