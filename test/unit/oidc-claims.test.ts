import { describe, expect, it } from 'vitest';
import { tokenClaims, trustPolicyHint } from '../../src/aws/oidc-claims.ts';

const jwt = (payload: unknown): string =>
  ['{"alg":"RS256"}', JSON.stringify(payload)].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.signature';

describe('tokenClaims', () => {
  it.each([
    {
      name: 'the pinned claims, in reading order, others left out',
      token: jwt({
        actor: 'octocat',
        job_workflow_ref: 'octo/app/.github/workflows/mfa-reset.yml@refs/heads/main',
        aud: 'sts.amazonaws.com',
        sub: 'repo:octo@1/app@2:environment:prod',
        environment: 'prod',
      }),
      expected: [
        ['sub', 'repo:octo@1/app@2:environment:prod'],
        ['aud', 'sts.amazonaws.com'],
        ['environment', 'prod'],
        ['job_workflow_ref', 'octo/app/.github/workflows/mfa-reset.yml@refs/heads/main'],
      ],
    },
    {
      name: 'a claim that is not a string',
      token: jwt({ sub: 'repo:o/r:ref:refs/heads/main', aud: ['a', 'b'] }),
      expected: [['sub', 'repo:o/r:ref:refs/heads/main']],
    },
    { name: 'not a JWT', token: 'opaque', expected: [] },
    { name: 'a payload that is not JSON', token: 'a.bm90IGpzb24.c', expected: [] },
    { name: 'a payload that is JSON but no object', token: jwt('text'), expected: [] },
  ])('$name', ({ token, expected }) => {
    expect(tokenClaims(token)).toEqual(expected);
  });
});

describe('trustPolicyHint', () => {
  it('names every claim to check, both sub forms, and what this job presented', () => {
    const hint = trustPolicyHint(jwt({ sub: 'repo:octo/app:environment:staging', aud: 'sts.amazonaws.com', environment: 'staging' }), 'sts.amazonaws.com');
    for (const part of [
      'token.actions.githubusercontent.com:aud ("sts.amazonaws.com")',
      'repo:OWNER/REPO:environment:NAME',
      'repo:OWNER@OWNER_ID/REPO@REPO_ID:',
      ':job_workflow_ref',
      ':environment',
      `This job's token has sub "repo:octo/app:environment:staging", aud "sts.amazonaws.com", environment "staging".`,
    ]) {
      expect(hint).toContain(part);
    }
  });

  it('says nothing about the token when it cannot be read', () => {
    expect(trustPolicyHint('opaque', 'sts.amazonaws.com')).not.toContain("This job's token has");
  });
});
