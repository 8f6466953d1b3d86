// Refusals told truthfully and transient faults absorbed, through the built action against the
// stand-in (which answers as AWS's service models say: test/standin/contract.test.ts). Each
// temporary answer once: the run succeeds and the summary notes the retry; persistently: a precise
// message, nothing lost or half-told. And the explicit denies of the shipped example policies.
import { describe } from 'vitest';
import type { FaultKind, Standin } from '../../standin/index.ts';
import { type ActionRun, leaksOf, runAction } from '../../standin/runner.ts';
import { examplePolicy, STANDIN_VALUES } from '../examples/examples.ts';
import { adminRole, it } from '../fixtures/standin.ts';

const calls = (standin: Standin, action: string) => standin.requests.filter((entry) => entry.action === action).map((entry) => entry.outcome);

async function resetAlice(
  standin: Standin,
  fault: { action: string; kind: FaultKind; times?: number } | undefined,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  const role = adminRole(standin);
  standin.createUser('alice');
  standin.addVirtualMfa('alice', 'phone-1');
  if (fault) standin.faults.inject({ times: 1, ...fault });
  return runAction({ 'user-name': 'alice', 'role-to-assume': role, ...inputs }, { endpoint: standin.endpoint, oidc: standin.oidc });
}

describe.concurrent('a temporary answer once is absorbed by a retry, and the summary says so', () => {
  it.for([
    { action: 'DeactivateMFADevice', kind: 'temporarily-unmodifiable' as const, code: 'EntityTemporarilyUnmodifiable', call: 'iam:DeactivateMFADevice' },
    { action: 'DeactivateMFADevice', kind: 'concurrent-modification' as const, code: 'ConcurrentModification', call: 'iam:DeactivateMFADevice' },
    { action: 'AssumeRoleWithWebIdentity', kind: 'idp-key-unavailable' as const, code: 'InvalidIdentityToken', call: 'sts:AssumeRoleWithWebIdentity' },
    { action: 'AssumeRoleWithWebIdentity', kind: 'idp-communication-error' as const, code: 'IDPCommunicationError', call: 'sts:AssumeRoleWithWebIdentity' },
  ])('$code on $action', async ({ action, kind, code, call }, { standin, expect }) => {
    const run = await resetAlice(standin, { action, kind });

    expect(run.errors).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(calls(standin, action)).toEqual([code, 'ok']);
    expect(run.summary).toContain(`with a temporary fault that a retry absorbed: ${call} (${code}; ok on attempt 2)`);
    expect(run.summary).toContain('AWS call retried');
  });

  it('DeleteConflict right after a deactivation (IAM is eventually consistent): retried until deleted', async ({ standin, expect }) => {
    standin.consistencyWindowMs = 600;
    const run = await resetAlice(standin, undefined, { 'delete-virtual-devices': 'true' });

    expect(run.errors).toEqual([]);
    expect(standin.virtualDevices()).toEqual([]);
    expect(calls(standin, 'DeleteVirtualMFADevice')[0]).toBe('DeleteConflict');
    expect(calls(standin, 'DeleteVirtualMFADevice').at(-1)).toBe('ok');
    expect(run.summary).toContain('iam:DeleteVirtualMFADevice (DeleteConflict');
  });
});

describe.concurrent('persistently: a precise message, within timeout-seconds, nothing half-told', () => {
  it('EntityTemporarilyUnmodifiable every time: named, with its attempts; the device reported as still active', async ({ standin, expect }) => {
    const run = await resetAlice(
      standin,
      { action: 'DeactivateMFADevice', kind: 'temporarily-unmodifiable', times: Number.POSITIVE_INFINITY },
      { 'timeout-seconds': '8' },
    );

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/iam:DeactivateMFADevice failed after \d attempts: EntityTemporarilyUnmodifiable/);
    expect(standin.devicesOf('alice')).toHaveLength(1);
    expect(JSON.parse(run.outputs['remaining-devices'] ?? '')).toHaveLength(1);
    expect(run.summary).toContain('not deactivated');
  });

  it("the IdP's keys unreachable every time: not called a trust-policy problem", async ({ standin, expect }) => {
    const run = await resetAlice(
      standin,
      { action: 'AssumeRoleWithWebIdentity', kind: 'idp-key-unavailable', times: Number.POSITIVE_INFINITY },
      { 'timeout-seconds': '8' },
    );

    expect(run.errors.join('\n')).toContain("Couldn't retrieve verification key");
    expect(run.errors.join('\n')).toContain('It is not a trust-policy problem');
    expect(run.errors.join('\n')).not.toContain("Check the role's trust policy");
  });

  it.for([
    { kind: 'expired-web-identity-token' as const, says: 'ExpiredTokenException' },
    { kind: 'region-disabled' as const, says: 'RegionDisabledException' },
  ])("$says: one attempt, AWS's code kept, and what to do", async ({ kind, says }, { standin, expect }) => {
    const run = await resetAlice(standin, { action: 'AssumeRoleWithWebIdentity', kind, times: Number.POSITIVE_INFINITY });

    expect(calls(standin, 'AssumeRoleWithWebIdentity')).toHaveLength(1);
    expect(run.errors.join('\n')).toContain(says);
    expect(run.errors.join('\n')).toMatch(kind === 'region-disabled' ? /set aws-region to a region where it is active/ : /clock is off|waited too long/);
    expect(standin.devicesOf('alice')).toHaveLength(1);
  });
});

describe.concurrent('explicit denies through the shipped example policies', () => {
  const exampleRole = (standin: Standin): string =>
    standin.createRole('github-mfa-reset', {
      trustPolicy: examplePolicy('trust-policy-environment.json'),
      policies: [{ name: 'mfa-reset', document: examplePolicy('permission-policy.json') }],
    }).arn;
  const asTheRole = (standin: Standin, role: string, user: string): Promise<ActionRun> => {
    standin.oidc.runJob({ environment: STANDIN_VALUES.GITHUB_ENVIRONMENT });
    return runAction({ 'user-name': user, 'role-to-assume': role, 'mfa-token': '123456' }, { endpoint: standin.endpoint, oidc: standin.oidc });
  };

  it('a protected user, through the role: the deny is named as a likely protection, no code is spent, nothing is weakened', async ({ standin, expect }) => {
    const role = exampleRole(standin);
    standin.createUser('root-admin', { path: '/people/', tags: { 'mfa-reset-protected': 'true' } });
    standin.addVirtualMfa('root-admin', 'phone');

    const run = await asTheRole(standin, role, 'root-admin');

    expect(run.errors.join('\n')).toContain('with an explicit deny in an identity-based policy');
    expect(run.errors.join('\n')).toContain('a protection of this user');
    expect(run.errors.join('\n')).toContain('(the code in mfa-token was not used)');
    expect(run.errors.join('\n')).not.toMatch(/drop the aws:MultiFactorAuthPresent/);
    expect(calls(standin, 'GetSessionToken')).toEqual([]);
    expect(standin.devicesOf('root-admin')).toHaveLength(1);
  });

  it("a user outside the policy's path: no identity-based policy allows it, and why the call is made", async ({ standin, expect }) => {
    const role = exampleRole(standin);
    standin.createUser('contractor', { path: '/contractors/' });
    standin.addVirtualMfa('contractor', 'phone');

    const run = await asTheRole(standin, role, 'contractor');

    expect(run.errors.join('\n')).toContain('because no identity-based policy allows the iam:GetUser action');
    expect(run.errors.join('\n')).toContain('users under one path only');
    expect(calls(standin, 'GetSessionToken')).toEqual([]);
  });

  it("the self-manage policy's MFA deny, with the user's own keys and a code: steps up once and deactivates", async ({ standin, expect }) => {
    standin.createUser('bob', { path: '/people/', policies: [{ name: 'self-service-mfa', document: examplePolicy('self-service-user-policy.json') }] });
    const keys = standin.createAccessKey('bob');
    const phone = standin.addVirtualMfa('bob', 'bob-phone');
    const token = standin.addHardwareMfa('bob');
    const seed = phone.seed;
    const code = standin.totp(seed);

    const run = await runAction(
      {
        'user-name': 'bob',
        'aws-access-key-id': keys.accessKeyId,
        'aws-secret-access-key': keys.secretAccessKey,
        'mfa-token': code,
        'serial-number': token.serial,
        'step-up-serial-number': phone.serial,
      },
      { endpoint: standin.endpoint },
    );

    expect(run.errors).toEqual([]);
    expect(calls(standin, 'GetSessionToken')).toEqual(['ok']);
    expect(standin.devicesOf('bob')).not.toContain(token.serial);
    expect(leaksOf(run, [...standin.issuedSecrets(), code])).toEqual([]);
  });
});
