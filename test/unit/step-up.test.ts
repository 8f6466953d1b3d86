import { IAMServiceException } from '@aws-sdk/client-iam';
import { RegionDisabledException, STSServiceException } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { MfaDevice } from '../../src/record.ts';
import { getSessionTokenFailure, ownDevicesIfTarget } from '../../src/aws/step-up.ts';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const denied = (message: string) => new STSServiceException({ name: 'AccessDenied', $fault: 'client', message, $metadata: { httpStatusCode: 403 } });

describe('getSessionTokenFailure tells the user what to do', () => {
  it.each([
    {
      name: 'wrong, expired or reused code',
      error: denied('MultiFactorAuthentication failed with invalid MFA one time pass code. '),
      says: /rejected the MFA code.*never sent twice.*fresh code/,
    },
    {
      name: 'serial not the caller’s',
      error: denied(
        'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.',
      ),
      says: new RegExp(`could not check the code against ${SERIAL}.*step-up-serial-number`),
    },
    { name: 'temporary keys', error: denied('Cannot call GetSessionToken with session credentials'), says: /long-term keys/ },
    {
      name: 'lost response',
      error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      says: /did not complete \(ECONNRESET: socket hang up\).*not retried.*fresh code/,
    },
    {
      name: 'throttled',
      error: new STSServiceException({ name: 'Throttling', $fault: 'client', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
      says: /did not complete \(Throttling: Rate exceeded\).*fresh code/,
    },
    {
      name: 'a 500 (the SDK would retry it; this call is never retried)',
      error: new STSServiceException({ name: 'InternalFailure', $fault: 'server', message: 'oops', $metadata: { httpStatusCode: 500 } }),
      says: /did not complete \(InternalFailure: oops\)\. It is not retried, because the code may already be spent/,
    },
    {
      name: "STS not activated in the region: keeps AWS's code, says what to do",
      error: new RegionDisabledException({ message: 'STS is not activated in this region for account:123456789012.', $metadata: { httpStatusCode: 403 } }),
      says: /^GetSessionToken failed: RegionDisabledException: STS is not activated in this region for account:123456789012\. STS is not activated in aws-region for this account\. Activate it .* or set aws-region to a region where it is active/,
    },
    {
      name: 'an answer the table does not know',
      error: new IAMServiceException({ name: 'SomethingNew', $fault: 'client', message: 'new', $metadata: { httpStatusCode: 400 } }),
      says: /^GetSessionToken failed: SomethingNew: new\. The action has no advice for this answer of AWS/,
    },
  ])('$name', ({ error, says }) => expect(getSessionTokenFailure(error, SERIAL)).toMatch(says));
});

describe("ownDevicesIfTarget reuses the target's listing only when the caller is that user", () => {
  const listed: MfaDevice[] = [{ serial: SERIAL, kind: 'virtual', enabledAt: undefined }];
  const target = (name: string) => (name.toLowerCase() === 'alice' ? listed : undefined);
  it.each([
    { name: 'the caller is the target', caller: 'arn:aws:iam::123456789012:user/alice', expected: listed },
    { name: 'a user with a path', caller: 'arn:aws:iam::123456789012:user/division/team/alice', expected: listed },
    { name: 'names differ only in case (IAM names are case-insensitive)', caller: 'arn:aws:iam::123456789012:user/Alice', expected: listed },
    { name: 'GovCloud partition', caller: 'arn:aws-us-gov:iam::123456789012:user/alice', expected: listed },
    { name: 'another user', caller: 'arn:aws:iam::123456789012:user/bob', expected: undefined },
    { name: 'a name that only ends the same', caller: 'arn:aws:iam::123456789012:user/malice', expected: undefined },
    { name: 'a role session', caller: 'arn:aws:sts::123456789012:assumed-role/alice/alice', expected: undefined },
    { name: 'an unknown caller', caller: 'unknown', expected: undefined },
  ])('$name', ({ caller, expected }) => expect(ownDevicesIfTarget(caller, target)).toEqual(expected));

  it('nothing listed yet: undefined', () => expect(ownDevicesIfTarget('arn:aws:iam::123456789012:user/alice', () => undefined)).toBeUndefined());
});
