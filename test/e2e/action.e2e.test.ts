// The built dist/index.js, run as the Actions runner runs it, against the local AWS stand-in.
// Each run is judged by the stand-in's state and request log, and by what reached the runner's
// files and log, not only by its exit code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeactivateMFADeviceCommand } from '@aws-sdk/client-iam';
import { type RequestLogEntry, type Standin, startStandin } from '../../standin/index.ts';
import { iamAs, type Keys } from '../../standin/sdk.ts';
import { type ActionRun, leaksOf, maskedFirst, runAction } from '../../standin/runner.ts';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin();
});
afterEach(async () => {
  await standin.close();
});

const calls = (action: string): RequestLogEntry[] => standin.requests.filter((entry) => entry.action === action);
const ok = (entry: RequestLogEntry): boolean => entry.outcome === 'ok';

/** Every run: nothing exported, no credential the stand-in issued or holds in any file or log line. */
function expectNoLeaks(run: ActionRun, extra: string[] = []): void {
  expect(run.files.GITHUB_ENV).toBe('');
  expect(run.files.GITHUB_STATE).toBe('');
  expect(run.files.GITHUB_PATH).toBe('');
  expect(leaksOf(run, [...standin.issuedSecrets(), ...extra])).toEqual([]);
}

function adminRole(): string {
  return standin.createRole('gha-mfa-admin', { admin: true, subject: 'repo:octo/app:*' }).arn;
}

function selfServiceUser(name: string): { keys: { accessKeyId: string; secretAccessKey: string }; serial: string; seed: string } {
  standin.createUser(name, { requireMfaForSelf: true });
  const keys = standin.createAccessKey(name);
  return { keys, ...standin.addVirtualMfa(name, `${name}-phone`) };
}

const keyInputs = (keys: { accessKeyId: string; secretAccessKey: string }) => ({
  'aws-access-key-id': keys.accessKeyId,
  'aws-secret-access-key': keys.secretAccessKey,
});

describe('admin path: an OIDC role', () => {
  it('deactivates every device of another user, with no code', async () => {
    const role = adminRole();
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'alice-phone');
    const token = standin.addHardwareMfa('alice');

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role }, { endpoint: standin.endpoint, oidc: standin.oidc });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'deactivated-devices': JSON.stringify([phone.serial, token.serial]), 'step-up-used': 'false' });
    const [assume] = calls('AssumeRoleWithWebIdentity');
    expect(assume).toMatchObject({ identity: 'anonymous', outcome: 'ok', params: { RoleSessionName: 'gh-octocat-4242-1' } });
    expect(calls('DeactivateMFADevice').map((entry) => [entry.identity, entry.outcome])).toEqual([
      [`arn:aws:sts::${standin.accountId}:assumed-role/gha-mfa-admin/gh-octocat-4242-1`, 'ok'],
      [`arn:aws:sts::${standin.accountId}:assumed-role/gha-mfa-admin/gh-octocat-4242-1`, 'ok'],
    ]);
    expect(calls('GetSessionToken')).toEqual([]);
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
    expectNoLeaks(run);
    expect(maskedFirst(run, ['alice'])).toEqual([]);
  });

  it('without id-token: write, fails naming the permission and calls nothing', async () => {
    const role = adminRole();
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'alice-phone');

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role }, { endpoint: standin.endpoint });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain('permissions: id-token: write');
    expect(standin.requests).toEqual([]);
    expect(standin.devicesOf('alice')).toHaveLength(1);
    expectNoLeaks(run);
  });

  it('a role refused for want of MFA, with no user keys: explains why a role cannot step up', async () => {
    const role = standin.createRole('gha-mfa-admin', { admin: true, subject: 'repo:octo/app:*', mfaDenyPolicy: true }).arn;
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'alice-phone');

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role, 'mfa-token': '864209' }, { endpoint: standin.endpoint, oidc: standin.oidc });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/which cannot step up: STS GetSessionToken accepts only an IAM user's long-term keys/);
    expect(calls('DeactivateMFADevice').map((entry) => entry.outcome)).toEqual(['AccessDenied']);
    expect(calls('GetSessionToken')).toEqual([]);
    expect(standin.devicesOf('alice')).toHaveLength(1);
    expect(run.outputs).toMatchObject({ result: 'failed', 'remaining-devices': JSON.stringify(standin.devicesOf('alice')) });
    expectNoLeaks(run, ['864209']);
  });

  it('pages through a user with 8 devices', async () => {
    const role = adminRole();
    standin.createUser('carol');
    for (let i = 0; i < 5; i++) standin.addVirtualMfa('carol', `carol-${i}`);
    for (let i = 0; i < 2; i++) standin.addHardwareMfa('carol');
    standin.addFidoKey('carol');
    const all = standin.devicesOf('carol');
    standin.listPageSize = 3;

    const run = await runAction({ 'user-name': 'carol', 'role-to-assume': role }, { endpoint: standin.endpoint, oidc: standin.oidc });

    expect(run.errors).toEqual([]);
    expect(calls('ListMFADevices')).toHaveLength(3);
    expect(
      calls('ListMFADevices')
        .slice(1)
        .every((entry) => entry.params['Marker']),
    ).toBe(true);
    expect(standin.devicesOf('carol')).toEqual([]);
    expect(JSON.parse(run.outputs['deactivated-devices'] ?? '')).toEqual(all);
    expectNoLeaks(run);
  });

  it('dry-run changes nothing and reports the plan', async () => {
    const role = adminRole();
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'alice-phone');

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role, 'dry-run': 'true' }, { endpoint: standin.endpoint, oidc: standin.oidc });

    expect(run.exitCode).toBe(0);
    expect(calls('DeactivateMFADevice')).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([phone.serial]);
    expect(run.outputs).toMatchObject({ result: 'dry-run', 'planned-devices': JSON.stringify([phone.serial]), 'deactivated-devices': '[]' });
    expect(run.summary).toContain('would be deactivated (dry run)');
    expectNoLeaks(run);
  });

  it('a device removed by someone else mid-run counts as done', async () => {
    const role = adminRole();
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'alice-phone');
    const token = standin.addHardwareMfa('alice');
    // The first deactivation is slow; meanwhile another admin removes the second device.
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'slow', delayMs: 400 });
    standin.createUser('other-admin', { admin: true });
    const otherKeys = standin.createAccessKey('other-admin');
    const running = runAction({ 'user-name': 'alice', 'role-to-assume': role }, { endpoint: standin.endpoint, oidc: standin.oidc });
    await waitFor(() => calls('ListMFADevices').some(ok));
    await removeWithSdk(otherKeys, 'alice', token.serial);

    const run = await running;

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const byAction = calls('DeactivateMFADevice').filter((entry) => entry.identity.includes(':assumed-role/'));
    expect(byAction.map((entry) => [entry.params['SerialNumber'], entry.outcome])).toEqual([
      [phone.serial, 'ok'],
      [token.serial, 'NoSuchEntity'],
    ]);
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'deactivated-devices': JSON.stringify([phone.serial, token.serial]) });
    expect(run.summary).toContain('already removed by someone else');
    expectNoLeaks(run);
  });

  it("absorbs a throttling burst with the SDK's retry", async () => {
    const role = adminRole();
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'alice-phone');
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'throttle', times: 2 });

    const run = await runAction({ 'user-name': 'alice', 'role-to-assume': role }, { endpoint: standin.endpoint, oidc: standin.oidc });

    expect(run.errors).toEqual([]);
    expect(calls('DeactivateMFADevice').map((entry) => entry.outcome)).toEqual(['Throttling', 'Throttling', 'ok']);
    expect(standin.devicesOf('alice')).toEqual([]);
    expectNoLeaks(run);
  });
});

describe("self-service path: the user's own keys and a code", () => {
  it("steps up with a live TOTP code and deactivates the user's own device", async () => {
    const bob = selfServiceUser('bob');
    const code = standin.totp(bob.seed);

    const run = await runAction({ 'user-name': 'bob', 'mfa-token': code, ...keyInputs(bob.keys) }, { endpoint: standin.endpoint });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(standin.devicesOf('bob')).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'step-up-used': 'true' });
    const bobArn = `arn:aws:iam::${standin.accountId}:user/bob`;
    expect(calls('DeactivateMFADevice').map((entry) => [entry.identity, entry.mfa, entry.outcome])).toEqual([
      [bobArn, false, 'AccessDenied'],
      [bobArn, true, 'ok'],
    ]);
    expect(calls('GetSessionToken').map((entry) => [entry.identity, entry.params['SerialNumber'], entry.outcome])).toEqual([[bobArn, bob.serial, 'ok']]);
    // Only the requests the path needs: bob is the caller, so his one listing serves the step-up too.
    expect(standin.requests.map((entry) => entry.action)).toEqual([
      'GetCallerIdentity',
      'GetUser',
      'ListMFADevices',
      'DeactivateMFADevice',
      'GetSessionToken',
      'DeactivateMFADevice',
    ]);
    expectNoLeaks(run, [code]);
    expect(maskedFirst(run, [code, bob.keys.accessKeyId, bob.keys.secretAccessKey, 'bob'])).toEqual([]);
  });

  it("steps up with long-term keys from the default chain (a self-hosted runner's environment)", async () => {
    const bob = selfServiceUser('bob');
    const code = standin.totp(bob.seed);

    const run = await runAction(
      { 'user-name': 'bob', 'mfa-token': code },
      { endpoint: standin.endpoint, env: { AWS_ACCESS_KEY_ID: bob.keys.accessKeyId, AWS_SECRET_ACCESS_KEY: bob.keys.secretAccessKey } },
    );

    expect(run.errors).toEqual([]);
    expect(standin.devicesOf('bob')).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'deactivated', 'step-up-used': 'true' });
    expect(run.summary).toContain('(default credential chain)');
    expect(calls('GetSessionToken').map((entry) => [entry.accessKeyId, entry.outcome])).toEqual([[bob.keys.accessKeyId, 'ok']]);
    expectNoLeaks(run, [code]);
  });

  it('a code already used is refused, sent once, and the user is told to dispatch a fresh one', async () => {
    const bob = selfServiceUser('bob');
    const token = standin.addHardwareMfa('bob');
    const code = standin.totp(bob.seed);
    const steps = { 'mfa-token': code, 'step-up-serial-number': bob.serial, ...keyInputs(bob.keys) };
    const first = await runAction({ 'user-name': 'bob', 'serial-number': token.serial, ...steps }, { endpoint: standin.endpoint });
    expect(first.outputs['result']).toBe('deactivated');
    expectNoLeaks(first, [code]);

    const second = await runAction({ 'user-name': 'bob', ...steps }, { endpoint: standin.endpoint });

    expect(second.exitCode).toBe(1);
    expect(second.errors.join('\n')).toMatch(/AWS rejected the MFA code.*dispatch the workflow again with a fresh code/);
    expect(calls('GetSessionToken').map((entry) => entry.outcome)).toEqual(['ok', 'AccessDenied']);
    expect(standin.devicesOf('bob')).toEqual([bob.serial]);
    expectNoLeaks(second, [code]);
  });

  it('an expired code is refused and never resent', async () => {
    const bob = selfServiceUser('bob');
    const expired = standin.totp(bob.seed, standin.clock.now() - 5 * 60_000);

    const run = await runAction({ 'user-name': 'bob', 'mfa-token': expired, ...keyInputs(bob.keys) }, { endpoint: standin.endpoint });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/AWS rejected the MFA code/);
    expect(calls('GetSessionToken')).toHaveLength(1);
    expect(standin.devicesOf('bob')).toEqual([bob.serial]);
    expectNoLeaks(run, [expired]);
  });

  it('a lost GetSessionToken response is not resent by the SDK: the code is spent at most once', async () => {
    const bob = selfServiceUser('bob');
    const code = standin.totp(bob.seed);
    standin.faults.inject({ action: 'GetSessionToken', kind: 'lose-response' });

    const run = await runAction({ 'user-name': 'bob', 'mfa-token': code, ...keyInputs(bob.keys) }, { endpoint: standin.endpoint });

    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/GetSessionToken did not complete.*not retried.*fresh code/);
    expect(calls('GetSessionToken')).toHaveLength(1);
    expect(standin.devicesOf('bob')).toEqual([bob.serial]);
    expectNoLeaks(run, [code]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the stand-in');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function removeWithSdk(keys: Keys, userName: string, serial: string): Promise<void> {
  const iam = iamAs(standin, keys);
  await iam.send(new DeactivateMFADeviceCommand({ UserName: userName, SerialNumber: serial }));
  iam.destroy();
}
