// The STS operations' own answers for the contract test: each identity GetCallerIdentity can name,
// the step-up's refusals, and AssumeRoleWithWebIdentity's answers to tokens, roles and policies.
import { randomBytes } from 'node:crypto';
import * as sts from '@aws-sdk/client-sts';
import type { Case } from './contract-cases.ts';
import type { World } from './contract-world.ts';

const assume = async (w: World, input: Partial<sts.AssumeRoleWithWebIdentityCommandInput> = {}) =>
  w.send(
    w.sts(),
    new sts.AssumeRoleWithWebIdentityCommand({
      RoleArn: w.roleArn,
      RoleSessionName: 'gh-octocat-1-1',
      WebIdentityToken: await w.standin.oidc.issueToken(),
      ...input,
    }),
  );

const stepUp = (w: World, input: sts.GetSessionTokenCommandInput, keys = w.bob) => w.send(w.sts(keys), new sts.GetSessionTokenCommand(input));

export const STS_CASES: Case[] = [
  {
    op: 'GetCallerIdentity',
    expect: 'ok',
    why: 'a role session',
    send: async (w) => w.send(w.sts(await w.roleSession()), new sts.GetCallerIdentityCommand({})),
  },
  {
    op: 'GetCallerIdentity',
    expect: 'ok',
    why: 'an MFA session of a user',
    send: async (w) => w.send(w.sts(await w.bobWithMfa()), new sts.GetCallerIdentityCommand({})),
  },

  { op: 'GetSessionToken', expect: 'ok', why: 'no MFA at all', send: (w) => stepUp(w, {}) },
  { op: 'GetSessionToken', expect: 'AccessDenied', why: 'session credentials', send: async (w) => stepUp(w, {}, await w.roleSession()) },
  {
    op: 'GetSessionToken',
    expect: 'AccessDenied',
    why: "another user's serial",
    send: (w) => stepUp(w, { SerialNumber: w.alice.virtual.serial, TokenCode: w.standin.totp(w.alice.virtual.seed) }),
  },
  { op: 'GetSessionToken', expect: 'AccessDenied', why: 'a wrong code', send: (w) => stepUp(w, { SerialNumber: w.phone.serial, TokenCode: '000000' }) },
  { op: 'GetSessionToken', expect: 'ValidationError', why: 'DurationSeconds below 900', send: (w) => stepUp(w, { DurationSeconds: 60 }) },

  {
    op: 'AssumeRoleWithWebIdentity',
    expect: 'ok',
    why: 'with a session policy: PackedPolicySize',
    send: (w) => assume(w, { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }] }) }),
  },
  { op: 'AssumeRoleWithWebIdentity', expect: 'InvalidIdentityToken', why: 'no JWT', send: (w) => assume(w, { WebIdentityToken: 'not-a-jwt' }) },
  {
    op: 'AssumeRoleWithWebIdentity',
    expect: 'InvalidIdentityToken',
    why: 'an audience the provider does not list',
    send: async (w) => assume(w, { WebIdentityToken: await w.standin.oidc.issueToken({ aud: 'https://github.com/octo' }) }),
  },
  {
    op: 'AssumeRoleWithWebIdentity',
    expect: 'ExpiredTokenException',
    why: 'a token past its exp',
    send: async (w) => {
      const now = Math.floor(w.standin.clock.now() / 1000);
      return assume(w, { WebIdentityToken: await w.standin.oidc.issueToken({ iat: now - 600, nbf: now - 600, exp: now - 300 }) });
    },
  },
  {
    op: 'AssumeRoleWithWebIdentity',
    expect: 'AccessDenied',
    why: 'a subject the trust policy refuses',
    send: (w) => {
      w.standin.createRole('pinned', { admin: true, subject: 'repo:octo/other:*' });
      return assume(w, { RoleArn: 'arn:aws:iam::123456789012:role/pinned' });
    },
  },
  { op: 'AssumeRoleWithWebIdentity', expect: 'ValidationError', why: 'a session name with a space', send: (w) => assume(w, { RoleSessionName: 'gh octocat' }) },
  { op: 'AssumeRoleWithWebIdentity', expect: 'MalformedPolicyDocument', why: 'a Policy that is no JSON', send: (w) => assume(w, { Policy: '{"Version":' }) },
  {
    op: 'AssumeRoleWithWebIdentity',
    expect: 'MalformedPolicyDocument',
    why: 'a Policy with an Effect IAM does not know',
    send: (w) => assume(w, { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Perhaps', Action: '*', Resource: '*' }] }) }),
  },
  {
    op: 'AssumeRoleWithWebIdentity',
    expect: 'PackedPolicyTooLarge',
    why: 'managed session policy ARNs that do not pack small',
    send: (w) => {
      const arn = () => ({ arn: `arn:aws:iam::123456789012:policy/${randomBytes(1200).toString('base64').replace(/[+/=]/g, 'A')}` });
      return assume(w, { PolicyArns: [arn(), arn()] });
    },
  },
];
