// The built dist/index.js, run as the Actions runner runs it, against the local AWS stand-in: one
// scenario per credential path, judged by the stand-in's state and request log, and by what reached
// the runner's files and log (masks first, no secret anywhere, nothing exported) and the exit code.
// The flow's other cases run in process (test/run/).
import { describe, expect } from 'vitest';
import type { RequestLogEntry, Standin } from '../../standin/index.ts';
import { type ActionRun, leaksOf, maskedFirst, runAction } from '../../standin/runner.ts';
import { adminRole, it } from '../fixtures/standin.ts';

const calls = (standin: Standin, action: string): RequestLogEntry[] => standin.requests.filter((entry) => entry.action === action);

/** Every run: nothing exported, no credential the stand-in issued or holds in any file or log line. */
function expectNoLeaks(standin: Standin, run: ActionRun, extra: string[] = []): void {
  expect(run.files.GITHUB_ENV).toBe('');
  expect(run.files.GITHUB_STATE).toBe('');
  expect(run.files.GITHUB_PATH).toBe('');
  expect(leaksOf(run, [...standin.issuedSecrets(), ...extra])).toEqual([]);
}

function selfServiceUser(standin: Standin, name: string): { keys: { accessKeyId: string; secretAccessKey: string }; serial: string; seed: string } {
  standin.createUser(name, { requireMfaForSelf: true });
  const keys = standin.createAccessKey(name);
  return { keys, ...standin.addVirtualMfa(name, `${name}-phone`) };
}

const keyInputs = (keys: { accessKeyId: string; secretAccessKey: string }) => ({
  'aws-access-key-id': keys.accessKeyId,
  'aws-secret-access-key': keys.secretAccessKey,
});

describe.concurrent('admin path: an OIDC role', () => {
  it('deactivates every device of another user, with no code', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'alice-phone');
    const token = standin.addHardwareMfa('alice');

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role }, { endpoint: standin.endpoint, oidc: standin.oidc });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'deactivated-devices': JSON.stringify([phone.serial, token.serial]), 'step-up-used': 'false' });
    const [assume] = calls(standin, 'AssumeRoleWithWebIdentity');
    expect(assume).toMatchObject({ identity: 'anonymous', outcome: 'ok', params: { RoleSessionName: 'gh-octocat-4242-1' } });
    expect(calls(standin, 'DeactivateMFADevice').map((entry) => [entry.identity, entry.outcome])).toEqual([
      [`arn:aws:sts::${standin.accountId}:assumed-role/gha-mfa-admin/gh-octocat-4242-1`, 'ok'],
      [`arn:aws:sts::${standin.accountId}:assumed-role/gha-mfa-admin/gh-octocat-4242-1`, 'ok'],
    ]);
    expect(calls(standin, 'GetSessionToken')).toEqual([]);
    // Only the requests the path needs: no GetCallerIdentity on the role path; GetUser learns the
    // name as IAM spells it, to mask it (mask-user-name is on by default).
    expect(standin.requests.map((entry) => entry.action)).toEqual([
      'GetIDToken',
      'AssumeRoleWithWebIdentity',
      'GetUser',
      'ListMFADevices',
      'DeactivateMFADevice',
      'DeactivateMFADevice',
    ]);
    expect(run.summary).toContain('IAM MFA: deactivated 2 devices');
    expect(run.summary).not.toContain('alice');
    expectNoLeaks(standin, run);
    expect(maskedFirst(run, ['alice'])).toEqual([]);
  });

  it('without id-token: write, fails naming the permission and calls nothing', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'alice-phone');

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role }, { endpoint: standin.endpoint });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain('permissions: id-token: write');
    expect(standin.requests).toEqual([]);
    expect(standin.devicesOf('alice')).toHaveLength(1);
    expectNoLeaks(standin, run);
  });
});

describe.concurrent("self-service path: the user's own keys and a code", () => {
  it("steps up with a live TOTP code and deactivates the user's own device", async ({ standin }) => {
    const bob = selfServiceUser(standin, 'bob');
    const code = standin.totp(bob.seed);

    const run = await runAction({ 'user-name': 'bob', 'mfa-token': code, ...keyInputs(bob.keys) }, { endpoint: standin.endpoint });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(standin.devicesOf('bob')).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'step-up-used': 'true' });
    const bobArn = `arn:aws:iam::${standin.accountId}:user/bob`;
    expect(calls(standin, 'DeactivateMFADevice').map((entry) => [entry.identity, entry.mfa, entry.outcome])).toEqual([
      [bobArn, false, 'AccessDenied'],
      [bobArn, true, 'ok'],
    ]);
    expect(calls(standin, 'GetSessionToken').map((entry) => [entry.identity, entry.params['SerialNumber'], entry.outcome])).toEqual([
      [bobArn, bob.serial, 'ok'],
    ]);
    // Only the requests the path needs: bob is the caller, so his one listing serves the step-up too.
    expect(standin.requests.map((entry) => entry.action)).toEqual([
      'GetCallerIdentity',
      'GetUser',
      'ListMFADevices',
      'DeactivateMFADevice',
      'GetSessionToken',
      'DeactivateMFADevice',
    ]);
    expectNoLeaks(standin, run, [code]);
    expect(maskedFirst(run, [code, bob.keys.accessKeyId, bob.keys.secretAccessKey, 'bob'])).toEqual([]);
  });

  it("steps up with long-term keys from the default chain (a self-hosted runner's environment)", async ({ standin }) => {
    const bob = selfServiceUser(standin, 'bob');
    const code = standin.totp(bob.seed);

    const run = await runAction(
      { 'user-name': 'bob', 'mfa-token': code },
      { endpoint: standin.endpoint, env: { AWS_ACCESS_KEY_ID: bob.keys.accessKeyId, AWS_SECRET_ACCESS_KEY: bob.keys.secretAccessKey } },
    );

    expect(run.errors).toEqual([]);
    expect(standin.devicesOf('bob')).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'step-up-used': 'true' });
    expect(run.summary).toContain('(default credential chain)');
    expect(calls(standin, 'GetSessionToken').map((entry) => [entry.accessKeyId, entry.outcome])).toEqual([[bob.keys.accessKeyId, 'ok']]);
    expectNoLeaks(standin, run, [code]);
  });

  it('a lost GetSessionToken response is not resent by the SDK: the code is spent at most once', async ({ standin }) => {
    const bob = selfServiceUser(standin, 'bob');
    const code = standin.totp(bob.seed);
    standin.faults.inject({ action: 'GetSessionToken', kind: 'lose-response' });

    const run = await runAction({ 'user-name': 'bob', 'mfa-token': code, ...keyInputs(bob.keys) }, { endpoint: standin.endpoint });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/GetSessionToken did not complete.*not retried.*fresh code/);
    expect(calls(standin, 'GetSessionToken')).toHaveLength(1);
    expect(standin.devicesOf('bob')).toEqual([bob.serial]);
    expectNoLeaks(standin, run, [code]);
  });
});
