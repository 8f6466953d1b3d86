// Refusals while getting credentials, told truthfully: a temporary fault at STS or GitHub's issuer is
// not a trust-policy problem; an expired token, a disabled region and a missing provider say what
// they are; only a refusal by the trust policy lists the trust policy's conditions and the token's claims.
import { IAMServiceException } from '@aws-sdk/client-iam';
import {
  AssumeRoleWithWebIdentityCommand,
  ExpiredTokenException,
  GetCallerIdentityCommand,
  IDPCommunicationErrorException,
  InvalidIdentityTokenException,
  RegionDisabledException,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AwsConnector } from '../../src/aws/clients.ts';
import { resolveActingIdentity } from '../../src/aws/credentials.ts';
import { AwsCallError } from '../../src/aws/errors.ts';
import type { Settings } from '../../src/settings.ts';

const sts = mockClient(STSClient);
const connector: AwsConnector = {
  iam: () => {
    throw new Error('no IAM here');
  },
  sts: (credentials) => new STSClient({ region: 'us-east-1', ...(credentials && { credentials }) }),
};
const claims = Buffer.from(JSON.stringify({ sub: 'repo:octo/app:environment:iam-admin', aud: 'sts.amazonaws.com' })).toString('base64url');
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${claims}.c2ln`;
const ROLE = 'arn:aws:iam::123456789012:role/gha-mfa-admin';

const settings = (over: Partial<Settings>): Settings =>
  ({
    userName: 'alice',
    mfaToken: undefined,
    role: undefined,
    userKeys: undefined,
    region: 'us-east-1',
    partition: 'aws',
    maskAwsAccountId: false,
    ...over,
  }) as Settings;
const asRole = settings({ role: { arn: ROLE, audience: 'sts.amazonaws.com', sessionName: 'gh-1', sessionNameFrom: 'default', durationSeconds: 900 } });
const asKeys = settings({ userKeys: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'x'.repeat(40) } });
const deps = { aws: connector, getIdToken: async () => TOKEN, mask: () => {}, bound: <T>(_: string, work: () => Promise<T>) => work() };

const failed = (call: string, error: unknown, attempts = 1) => {
  Object.assign(error as object, { $metadata: { ...(error as { $metadata?: object }).$metadata, attempts } });
  return new AwsCallError(call, error);
};
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const TRUST_HINT = "Check the role's trust policy against this job's token";

beforeEach(() => sts.reset());

describe('AssumeRoleWithWebIdentity refused', () => {
  it.each([
    {
      name: "Couldn't retrieve verification key, after the retries: temporary, not the trust policy",
      error: new InvalidIdentityTokenException({
        message: "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
        ...meta(400),
      }),
      attempts: 5,
      says: [
        /failed after 5 attempts: InvalidIdentityToken: Couldn't retrieve verification key/,
        /STS could not fetch GitHub's signing keys/,
        /It is not a trust-policy problem/,
      ],
      trustHint: false,
    },
    {
      name: 'IDPCommunicationError, after the retries: temporary, not the trust policy',
      error: new IDPCommunicationErrorException({ message: 'Could not contact the identity provider', ...meta(400) }),
      attempts: 5,
      says: [/could not reach GitHub's OIDC issuer/, /It is not a trust-policy problem/],
      trustHint: false,
    },
    {
      name: 'the trust policy refuses: its conditions and the token’s claims',
      error: new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
        ...meta(403),
      }),
      says: [
        /The role's trust policy does not accept this job's OIDC token\./,
        /This job's token has sub "repo:octo\/app:environment:iam-admin", aud "sts.amazonaws.com"\./,
      ],
      trustHint: true,
    },
    {
      name: 'ExpiredTokenException: the clock, or a long wait',
      error: new ExpiredTokenException({
        message: 'Token expired: current date/time 1700000400 must be before the expiration date/time 1700000300',
        ...meta(400),
      }),
      says: [/ExpiredTokenException: Token expired/, /the runner's clock is off by more than five minutes .* or the job waited too long/],
      trustHint: false,
    },
    {
      name: "RegionDisabledException keeps AWS's code and says what to do",
      error: new RegionDisabledException({ message: 'STS is not activated in this region for account:123456789012.', ...meta(403) }),
      says: [
        /\(sts:AssumeRoleWithWebIdentity failed: RegionDisabledException: STS is not activated/,
        /Activate it .* or set aws-region to a region where it is active/,
      ],
      trustHint: false,
    },
    {
      name: 'no OIDC provider in the account',
      error: new InvalidIdentityTokenException({
        message: 'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
        ...meta(400),
      }),
      says: [/has no IAM OIDC identity provider for GitHub's issuer: create one/],
      trustHint: false,
    },
    {
      name: 'another InvalidIdentityToken: the token itself, and the trust hint',
      error: new InvalidIdentityTokenException({ message: 'OpenIDConnect provider HTTPS certificate does not match configured thumbprint', ...meta(400) }),
      says: [/STS refused the token itself/],
      trustHint: true,
    },
    {
      name: 'an answer the table does not know: the trust hint, as before',
      error: new IAMServiceException({ name: 'SomethingNew', $fault: 'client', message: 'x', ...meta(400) }),
      says: [/SomethingNew: x\)\. Check the role's trust policy/],
      trustHint: true,
    },
  ])('$name', async ({ error, attempts, says, trustHint }) => {
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(failed('sts:AssumeRoleWithWebIdentity', error, attempts));
    const thrown = (await resolveActingIdentity(asRole, deps).catch((e: unknown) => e)) as Error;
    expect(thrown.message).toMatch(new RegExp(`^Could not assume ${ROLE} with the GitHub OIDC token \\(sts:AssumeRoleWithWebIdentity failed`));
    for (const pattern of says) expect(thrown.message).toMatch(pattern);
    expect(thrown.message.includes(TRUST_HINT)).toBe(trustHint);
  });
});

describe('GetCallerIdentity refused', () => {
  it.each([
    { code: 'InvalidClientTokenId', says: /AWS does not know the access key that signed the call.*Check aws-access-key-id/ },
    { code: 'SignatureDoesNotMatch', says: /aws-secret-access-key does not belong to aws-access-key-id/ },
    { code: 'ExpiredToken', says: /session expired before the call/ },
  ])('$code', async ({ code, says }) => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(failed('sts:GetCallerIdentity', new STSServiceException({ name: code, $fault: 'client', message: 'no', ...meta(403) })));
    const thrown = (await resolveActingIdentity(asKeys, deps).catch((e: unknown) => e)) as Error;
    expect(thrown.message).toMatch(new RegExp(`^Could not tell who these credentials belong to \\(sts:GetCallerIdentity failed: ${code}: no\\)\\. `));
    expect(thrown.message).toMatch(says);
  });
});
