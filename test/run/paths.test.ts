// run() in process against the stand-in: each path of the flow, judged by the stand-in's state and
// request log and by everything the action told the runner. The stand-in decides every call with
// IAM's policy logic, so "who acted, with or without MFA" is AWS's answer, not a mock's.
import { DeactivateMFADeviceCommand } from '@aws-sdk/client-iam';
import { describe, expect } from 'vitest';
import type { NamedPolicy, Standin } from '../../standin/index.ts';
import { iamAs } from '../../standin/sdk.ts';
import { expectNoLeaks, it, maskedFirst, printedBeforeMask, type RunResult, runInProcess, summaryRow } from './harness.ts';
import { adminRole } from '../fixtures/standin.ts';

const VERSION = '2012-10-17';
const actions = (result: RunResult): string[] => result.requests.map((entry) => entry.action);
const calls = (result: RunResult, action: string) => result.requests.filter((entry) => entry.action === action);
const json = (list: readonly string[]): string => JSON.stringify(list);

const roleSession = (standin: Standin): string => `arn:aws:sts::${standin.accountId}:assumed-role/gha-mfa-admin/gh-octocat-4242-1`;
const userArn = (standin: Standin, name: string): string => `arn:aws:iam::${standin.accountId}:user/${name}`;

/** An IAM user with its own keys and a phone; AWS demands MFA for changes to its own devices unless told otherwise. */
function keyOwner(standin: Standin, name: string, options: { requireMfaForSelf?: boolean; policies?: NamedPolicy[] } = {}) {
  standin.createUser(name, { requireMfaForSelf: true, ...options });
  const keys = standin.createAccessKey(name);
  const phone = standin.addVirtualMfa(name, `${name}-phone`);
  const inputs = { 'aws-access-key-id': keys.accessKeyId, 'aws-secret-access-key': keys.secretAccessKey };
  return { keys, phone, inputs, code: () => standin.totp(phone.seed) };
}

/** No credential the stand-in issued or holds anywhere but in its own mask. */
describe.concurrent('admin path: an OIDC role acts on another user', () => {
  it('deactivates every device, following ListMFADevices pages, as the role and nothing else', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('carol');
    for (let i = 0; i < 5; i++) standin.addVirtualMfa('carol', `phone-${i}`);
    for (let i = 0; i < 2; i++) standin.addHardwareMfa('carol');
    standin.addFidoKey('carol');
    const all = standin.devicesOf('carol');
    standin.listPageSize = 3;

    const result = await runInProcess(standin, { 'user-name': 'carol', 'role-to-assume': role });

    expect(result.failure).toBeUndefined();
    expect(standin.devicesOf('carol')).toEqual([]);
    expect(actions(result)).toEqual([
      'GetIDToken',
      'AssumeRoleWithWebIdentity',
      'GetUser',
      ...['ListMFADevices', 'ListMFADevices', 'ListMFADevices'],
      ...all.map(() => 'DeactivateMFADevice'),
    ]);
    expect(calls(result, 'AssumeRoleWithWebIdentity')).toEqual([
      expect.objectContaining({
        identity: 'anonymous',
        outcome: 'ok',
        params: expect.objectContaining({ RoleSessionName: 'gh-octocat-4242-1', DurationSeconds: '900' }),
      }),
    ]);
    expect(calls(result, 'ListMFADevices').map((entry) => entry.params['Marker'] !== undefined)).toEqual([false, true, true]);
    expect(calls(result, 'DeactivateMFADevice').map((entry) => [entry.identity, entry.params['SerialNumber'], entry.outcome])).toEqual(
      all.map((serial) => [roleSession(standin), serial, 'ok']),
    );
    expect(result.outputs).toEqual({
      result: 'deactivated',
      'planned-devices': json(all),
      'deactivated-devices': json(all),
      'deleted-devices': '[]',
      'remaining-devices': '[]',
      'step-up-used': 'false',
      approvals: '[]',
      'pull-request': '',
    });
    expect(result.summary).toContain('IAM MFA: deactivated 8 devices');
    expect(result.summary).toContain(`<code>${roleSession(standin)}</code> (GitHub OIDC role)`);
    expect(result.summary).not.toContain('carol');
    expectNoLeaks(standin, result);
  });

  it('without `id-token: write`: fails naming the permission, and sends nothing', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'phone-1');

    const result = await runInProcess(standin, { 'user-name': 'alice', 'role-to-assume': role }, { oidc: false });

    expect(result.failure).toContain('permissions: id-token: write');
    expect(result.requests).toEqual([]);
    expect(result.outputs['result']).toBe('failed');
  });

  it('serial-number: deactivates only that device', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'phone-1');
    const token = standin.addHardwareMfa('alice');

    const result = await runInProcess(standin, { 'user-name': 'alice', 'role-to-assume': role, 'serial-number': token.serial });

    expect(result.failure).toBeUndefined();
    expect(calls(result, 'DeactivateMFADevice').map((entry) => entry.params['SerialNumber'])).toEqual([token.serial]);
    expect(result.outputs).toMatchObject({ result: 'deactivated', 'planned-devices': json([token.serial]), 'deactivated-devices': json([token.serial]) });
    expect(standin.devicesOf('alice')).toHaveLength(1);
  });

  it('a serial-number the user does not have: fails naming the input, deactivates nothing', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'phone-1');
    standin.addHardwareMfa('alice');

    const result = await runInProcess(standin, { 'user-name': 'alice', 'role-to-assume': role, 'serial-number': 'GAHT99999999' });

    expect(result.failure).toMatch(/Input serial-number names a device this user does not have \(the user has 2 devices\)/);
    expect(calls(result, 'DeactivateMFADevice')).toEqual([]);
    expect(result.outputs).toMatchObject({ result: 'failed', 'deactivated-devices': '[]' });
  });

  it('a user with no device: nothing-to-do, a success', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');

    const result = await runInProcess(standin, { 'user-name': 'alice', 'role-to-assume': role });

    expect(result.failure).toBeUndefined();
    expect(actions(result)).toEqual(['GetIDToken', 'AssumeRoleWithWebIdentity', 'GetUser', 'ListMFADevices']);
    expect(result.outputs).toMatchObject({ result: 'nothing-to-do', 'planned-devices': '[]', 'deactivated-devices': '[]' });
    expect(result.summary).toContain('IAM MFA: nothing to deactivate');
  });

  it('dry-run: lists, changes nothing, and reports the plan', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    const token = standin.addHardwareMfa('alice');

    const result = await runInProcess(standin, { 'user-name': 'alice', 'role-to-assume': role, 'dry-run': 'true', 'delete-virtual-devices': 'true' });

    expect(result.failure).toBeUndefined();
    expect(actions(result)).toEqual(['GetIDToken', 'AssumeRoleWithWebIdentity', 'GetUser', 'ListMFADevices']);
    expect(standin.devicesOf('alice')).toEqual([phone.serial, token.serial]);
    expect(standin.virtualDevices()).toHaveLength(1);
    expect(result.outputs).toMatchObject({
      result: 'dry-run',
      'planned-devices': json([phone.serial, token.serial]),
      'deactivated-devices': '[]',
      'deleted-devices': '[]',
      'remaining-devices': json([phone.serial, token.serial]),
    });
    expect(result.summary).toContain('IAM MFA dry run: 2 devices would be deactivated');
    for (const serial of [phone.serial, token.serial]) expect(summaryRow(result, serial)).toContain('would be deactivated (dry run)');
    expect(result.lines).toContain(`Dry run: would deactivate ${phone.serial}, ${token.serial}.`);
    expect(result.events.filter((event) => event.kind === 'warning').map((event) => event.text)).toEqual([
      'Input delete-virtual-devices has no effect: a dry run deactivates and deletes nothing.',
    ]);
  });

  it('delete-virtual-devices: deletes the virtual devices only, after every deactivation', async ({ standin }) => {
    standin.consistencyWindowMs = 0; // the order of the calls, not IAM's settling (test/e2e/refusals.e2e.test.ts)
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    const token = standin.addHardwareMfa('alice');
    const tablet = standin.addVirtualMfa('alice', 'tablet-2');

    const result = await runInProcess(standin, { 'user-name': 'alice', 'role-to-assume': role, 'delete-virtual-devices': 'true' });

    expect(result.failure).toBeUndefined();
    expect(result.requests.filter((entry) => entry.service === 'iam').map((entry) => `${entry.action} ${entry.params['SerialNumber'] ?? ''}`)).toEqual([
      'GetUser ',
      'ListMFADevices ',
      `DeactivateMFADevice ${phone.serial}`,
      `DeactivateMFADevice ${token.serial}`,
      `DeactivateMFADevice ${tablet.serial}`,
      `DeleteVirtualMFADevice ${phone.serial}`,
      `DeleteVirtualMFADevice ${tablet.serial}`,
    ]);
    expect(standin.virtualDevices()).toEqual([]);
    expect(result.outputs).toMatchObject({
      'deactivated-devices': json([phone.serial, token.serial, tablet.serial]),
      'deleted-devices': json([phone.serial, tablet.serial]),
    });
    expect(summaryRow(result, phone.serial)).toContain('deactivated, and deleted');
  });

  it('a device removed by someone else mid-run (NoSuchEntity) counts as done', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    const token = standin.addHardwareMfa('alice');
    standin.createUser('other-admin', { admin: true });
    const other = iamAs(standin, standin.createAccessKey('other-admin'));
    // The first deactivation is held until another admin has removed the second device.
    let removeToken = (): void => {};
    const until = new Promise(
      (resolve) => (removeToken = () => resolve(other.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: token.serial })))),
    );
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'hold', until, onHit: () => removeToken() });

    const result = await runInProcess(standin, { 'user-name': 'alice', 'role-to-assume': role });
    other.destroy();

    expect(result.failure).toBeUndefined();
    const byAction = calls(result, 'DeactivateMFADevice').filter((entry) => entry.identity === roleSession(standin));
    expect(byAction.map((entry) => [entry.params['SerialNumber'], entry.outcome])).toEqual([
      [phone.serial, 'ok'],
      [token.serial, 'NoSuchEntity'],
    ]);
    expect(result.outputs).toMatchObject({ result: 'deactivated', 'deactivated-devices': json([phone.serial, token.serial]), 'remaining-devices': '[]' });
    expect(summaryRow(result, token.serial)).toContain('already removed by someone else');
  });

  it('two runs racing on one user both end correctly: one deactivates, the other finds it already removed', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    let release = (): void => {};
    const until = new Promise<void>((resolve) => (release = resolve));
    let held = (): void => {};
    const holding = new Promise<void>((resolve) => (held = resolve));
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'hold', until, onHit: () => held() });
    const inputs = { 'user-name': 'alice', 'role-to-assume': role };

    const first = runInProcess(standin, inputs);
    await holding;
    const second = await runInProcess(standin, inputs);
    release();
    const firstRun = await first;

    for (const result of [firstRun, second]) {
      expect(result.failure).toBeUndefined();
      expect(result.outputs).toMatchObject({ result: 'deactivated', 'deactivated-devices': json([phone.serial]), 'remaining-devices': '[]' });
    }
    expect(summaryRow(second, phone.serial)).toMatch(/ deactivated$/);
    expect(summaryRow(firstRun, phone.serial)).toContain('already removed by someone else');
    expect(standin.devicesOf('alice')).toEqual([]);
  });

  it('device 2 of 3 refused for a reason MFA cannot fix: the exact report, and no step-up though one could succeed', async ({ standin }) => {
    const role = adminRole(standin);
    const kim = keyOwner(standin, 'kim');
    standin.createUser('bob');
    const phone = standin.addVirtualMfa('bob', 'phone-1');
    const token = standin.addHardwareMfa('bob');
    const tablet = standin.addVirtualMfa('bob', 'tablet-2');
    const refusal = `User: ${roleSession(standin)} is not authorized to perform: iam:DeactivateMFADevice on resource: user bob with an explicit deny in a service control policy`;
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'error', after: 1, error: { code: 'AccessDenied', status: 403, message: refusal } });

    const result = await runInProcess(standin, { 'user-name': 'bob', 'role-to-assume': role, ...kim.inputs, 'mfa-token': kim.code() });

    expect(result.failure).toContain(`iam:DeactivateMFADevice failed: AccessDenied: ${refusal}`);
    expect(calls(result, 'GetSessionToken')).toEqual([]);
    expect(calls(result, 'DeactivateMFADevice').map((entry) => [entry.params['SerialNumber'], entry.outcome])).toEqual([
      [phone.serial, 'ok'],
      [token.serial, 'AccessDenied'],
    ]);
    expect(standin.devicesOf('bob')).toEqual([token.serial, tablet.serial]);
    expect(result.outputs).toEqual({
      result: 'failed',
      'planned-devices': json([phone.serial, token.serial, tablet.serial]),
      'deactivated-devices': json([phone.serial]),
      'deleted-devices': '[]',
      'remaining-devices': json([token.serial, tablet.serial]),
      'step-up-used': 'false',
      approvals: '[]',
      'pull-request': '',
    });
    expect(result.summary).toContain('IAM MFA deactivation failed');
    expect(summaryRow(result, phone.serial)).toMatch(/ deactivated$/);
    expect(summaryRow(result, token.serial)).toContain('not deactivated: iam:DeactivateMFADevice failed: AccessDenied');
    expect(summaryRow(result, tablet.serial)).toContain('not deactivated: not attempted, the run stopped first');
  });

  it('a role refused for want of MFA, without user keys: says why a role cannot step up, and never calls GetSessionToken', async ({ standin }) => {
    const role = adminRole(standin, { mfaDenyPolicy: true });
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');

    const result = await runInProcess(standin, { 'user-name': 'alice', 'role-to-assume': role, 'mfa-token': '864209' });

    expect(result.failure).toContain(`acting as ${roleSession(standin)}, which cannot step up: STS GetSessionToken accepts only an IAM user's long-term keys`);
    // An explicit deny is not read as an MFA demand: the message names the deny and its likely causes, and never advises weakening it.
    expect(result.failure).toContain('iam:DeactivateMFADevice failed: AccessDenied: ');
    expect(result.failure).toContain('with an explicit deny in an identity-based policy. A Deny statement in a policy of the acting identity');
    expect(result.failure).toContain('(the code in mfa-token was not used)');
    expect(result.failure).not.toMatch(/drop the aws:MultiFactorAuthPresent/);
    expect(calls(result, 'DeactivateMFADevice').map((entry) => entry.outcome)).toEqual(['AccessDenied']);
    expect(calls(result, 'GetSessionToken')).toEqual([]);
    expect(result.lines.filter((line) => line.includes('stepping up'))).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([phone.serial]);
    expect(summaryRow(result, phone.serial)).toContain('not deactivated: iam:DeactivateMFADevice failed: AccessDenied');
    expect(result.outputs).toMatchObject({ result: 'failed', 'remaining-devices': json([phone.serial]), 'step-up-used': 'false' });
    // The input warned that a role cannot use the code, before anything was sent.
    expect(result.events.filter((event) => event.kind === 'warning')).toEqual([
      {
        kind: 'warning',
        at: 0,
        text: expect.stringMatching(/^Input mfa-token has no effect: only the role in role-to-assume acts, and a role can never step up/),
      },
    ]);
  });
});

describe.concurrent("self-service path: the user's own keys and a code", () => {
  it('steps up with a live code from the one listing, and retries with the MFA session', async ({ standin }) => {
    const bob = keyOwner(standin, 'bob');
    const token = standin.addHardwareMfa('bob');
    const code = bob.code();

    const result = await runInProcess(standin, { 'user-name': 'bob', ...bob.inputs, 'mfa-token': code, 'step-up-serial-number': bob.phone.serial });

    expect(result.failure).toBeUndefined();
    expect(standin.devicesOf('bob')).toEqual([]);
    // bob is the caller: his one listing also chooses the device to step up with.
    expect(actions(result)).toEqual([
      'GetCallerIdentity',
      'GetUser',
      'ListMFADevices',
      'DeactivateMFADevice',
      'GetSessionToken',
      'DeactivateMFADevice',
      'DeactivateMFADevice',
    ]);
    const bobArn = userArn(standin, 'bob');
    expect(
      calls(result, 'GetSessionToken').map((entry) => [entry.identity, entry.params['SerialNumber'], entry.params['DurationSeconds'], entry.outcome]),
    ).toEqual([[bobArn, bob.phone.serial, '900', 'ok']]);
    expect(calls(result, 'DeactivateMFADevice').map((entry) => [entry.params['SerialNumber'], entry.mfa, entry.outcome])).toEqual([
      [bob.phone.serial, false, 'AccessDenied'],
      [bob.phone.serial, true, 'ok'],
      [token.serial, true, 'ok'],
    ]);
    expect(result.outputs).toMatchObject({ result: 'deactivated', 'deactivated-devices': json([bob.phone.serial, token.serial]), 'step-up-used': 'true' });
    expect(result.summary).toContain(
      `used: <code>arn:aws:iam::${standin.accountId}:user/***</code> with <code>${bob.phone.serial.replace('bob', '***')}</code>`,
    );
    expect(maskedFirst(result, [code, bob.keys.accessKeyId, bob.keys.secretAccessKey, 'bob'])).toEqual([]);
    expectNoLeaks(standin, result, [code]);
  });

  it('without mfa-token: fails saying a code is needed, after the one refused call', async ({ standin }) => {
    const bob = keyOwner(standin, 'bob');

    const result = await runInProcess(standin, { 'user-name': 'bob', ...bob.inputs });

    expect(result.failure).toMatch(/requires an MFA-authenticated session.*six-digit code .* in mfa-token/);
    expect(calls(result, 'DeactivateMFADevice').map((entry) => entry.outcome)).toEqual(['AccessDenied']);
    expect(calls(result, 'GetSessionToken')).toEqual([]);
    expect(result.outputs).toMatchObject({ result: 'failed', 'remaining-devices': json([bob.phone.serial]), 'step-up-used': 'false' });
  });

  it('a code already used: refused, sent once, and the user is told to dispatch a fresh one', async ({ standin }) => {
    const bob = keyOwner(standin, 'bob');
    const token = standin.addHardwareMfa('bob');
    const code = bob.code();
    const inputs = { ...bob.inputs, 'mfa-token': code, 'step-up-serial-number': bob.phone.serial };
    const first = await runInProcess(standin, { 'user-name': 'bob', 'serial-number': token.serial, ...inputs });
    expect(first.outputs['result']).toBe('deactivated');

    const second = await runInProcess(standin, { 'user-name': 'bob', ...inputs });

    expect(second.failure).toMatch(
      /AWS rejected the MFA code: it was wrong, expired .* or already used\. The code is never sent twice; dispatch the workflow again with a fresh code\./,
    );
    expect(calls(second, 'GetSessionToken').map((entry) => entry.outcome)).toEqual(['AccessDenied']);
    expect(standin.devicesOf('bob')).toEqual([bob.phone.serial]);
    expectNoLeaks(standin, second, [code]);
  });

  it.for([
    { caller: 'has only a FIDO key besides the device to deactivate', message: /only FIDO security keys/, totp: 0 },
    { caller: 'has two TOTP devices and names neither', message: /Input step-up-serial-number is needed: the acting IAM user has 2 TOTP devices/, totp: 2 },
  ])('on their own user, when the caller $caller: judged from the one listing, fails before spending the code', async ({ message, totp }, { standin }) => {
    standin.createUser('bob', { requireMfaForSelf: true });
    const keys = standin.createAccessKey('bob');
    standin.addFidoKey('bob');
    for (let i = 0; i < totp; i++) standin.addHardwareMfa('bob');

    const result = await runInProcess(standin, {
      'user-name': 'bob',
      'aws-access-key-id': keys.accessKeyId,
      'aws-secret-access-key': keys.secretAccessKey,
      'mfa-token': '123456',
    });

    expect(result.failure).toMatch(message);
    expect(calls(result, 'ListMFADevices')).toHaveLength(1);
    expect(calls(result, 'GetSessionToken')).toEqual([]);
  });

  it('a device deactivated earlier in the run is no longer one to step up with', async ({ standin }) => {
    // Deactivating needs no MFA here; deleting a virtual device does (an explicit deny without MFA).
    const arn = userArn(standin, 'kim');
    const policies: NamedPolicy[] = [
      {
        name: 'self',
        document: {
          Version: VERSION,
          Statement: [
            { Effect: 'Allow', Action: 'iam:*', Resource: [arn, `arn:aws:iam::${standin.accountId}:mfa/*`] },
            {
              Effect: 'Deny',
              Action: 'iam:DeleteVirtualMFADevice',
              Resource: '*',
              Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
            },
          ],
        },
      },
    ];
    const kim = keyOwner(standin, 'kim', { requireMfaForSelf: false, policies });
    const token = standin.addHardwareMfa('kim');

    const result = await runInProcess(standin, { 'user-name': 'kim', ...kim.inputs, 'mfa-token': kim.code(), 'delete-virtual-devices': 'true' });

    // A fresh ListMFADevices would show no device left; the remembered listing agrees.
    expect(result.failure).toMatch(/The acting IAM user has no MFA device/);
    expect(calls(result, 'ListMFADevices')).toHaveLength(1);
    expect(calls(result, 'DeactivateMFADevice').map((entry) => [entry.params['SerialNumber'], entry.outcome])).toEqual([
      [kim.phone.serial, 'ok'],
      [token.serial, 'ok'],
    ]);
    expect(calls(result, 'DeleteVirtualMFADevice').map((entry) => entry.outcome)).toEqual(['AccessDenied']);
    expect(calls(result, 'GetSessionToken')).toEqual([]);
  });
});

describe.concurrent('a role refused by an explicit deny, with user keys too', () => {
  it("the deny is reported, and the user's code is not spent: a deny may be a deliberate protection, and the keys are another identity", async ({
    standin,
  }) => {
    const role = adminRole(standin, { mfaDenyPolicy: true });
    const kim = keyOwner(standin, 'kim');
    const code = kim.code();

    const result = await runInProcess(standin, { 'user-name': 'kim', 'role-to-assume': role, ...kim.inputs, 'mfa-token': code });

    expect(result.failure).toContain('with an explicit deny in an identity-based policy');
    expect(result.failure).toContain('(the code in mfa-token was not used)');
    expect(calls(result, 'GetSessionToken')).toEqual([]);
    expect(calls(result, 'DeactivateMFADevice').map((entry) => [entry.identity, entry.outcome])).toEqual([[roleSession(standin), 'AccessDenied']]);
    expect(standin.devicesOf('kim')).toEqual([kim.phone.serial]);
    expect(result.outputs).toMatchObject({ result: 'failed', 'step-up-used': 'false' });
    expectNoLeaks(standin, result, [code]);
  });
});

describe.concurrent('refused before any request', () => {
  it('a user matching protected-users, in another case, on every path at once', async ({ standin }) => {
    const role = adminRole(standin);
    const admin = keyOwner(standin, 'break-glass-admin');

    const result = await runInProcess(standin, {
      'user-name': 'Break-Glass-Admin',
      'role-to-assume': role,
      ...admin.inputs,
      'protected-users': 'root-ops\nbreak-glass-*',
    });

    expect(result.failure).toBe('deactivate-iam-mfa: Input user-name matches protected-users pattern "break-glass-*": this action never touches that user.');
    expect(result.requests).toEqual([]);
    expect(standin.devicesOf('break-glass-admin')).toHaveLength(1);
    expect(result.outputs['result']).toBe('failed');
  });
});

describe.concurrent('the user name as IAM spells it (mask-user-name)', () => {
  it('ALICE acts on alice: the canonical name is masked before any line names it, and the summary shows the unique id', async ({ standin }) => {
    const role = adminRole(standin);
    const { userId } = standin.createUser('alice');
    standin.addVirtualMfa('alice', 'phone-1');
    const key = standin.addFidoKey('alice'); // its ARN names the user: arn:aws:iam::…:u2f/user/alice/…

    const result = await runInProcess(standin, { 'user-name': 'ALICE', 'role-to-assume': role });

    expect(result.failure).toBeUndefined();
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(result.requests.filter((entry) => entry.service === 'iam').map((entry) => [entry.action, entry.params['UserName']])).toEqual([
      ['GetUser', 'ALICE'],
      ['ListMFADevices', 'alice'],
      ['DeactivateMFADevice', 'alice'],
      ['DeactivateMFADevice', 'alice'],
    ]);
    expect(key.serial).toContain('/alice/');
    expect(result.lines.some((line) => line.includes(key.serial))).toBe(true);
    expect(maskedFirst(result, ['ALICE'])).toEqual([]);
    expect(printedBeforeMask(result, 'alice')).toEqual([]);
    expect(result.masked).toContain('alice');
    expect(result.summary).not.toMatch(/alice/i);
    expect(result.summary).toContain(`<code>${userId}</code> (path <code>/</code>)`);
  });

  it('an AWS refusal naming the user in another case is masked before it is printed', async ({ standin }) => {
    // alice's own keys, given as ALICE; she may not call GetUser, and AWS's refusal names her.
    standin.createUser('alice', {
      policies: [{ name: 'devices-only', document: { Version: VERSION, Statement: [{ Effect: 'Allow', Action: 'iam:ListMFADevices', Resource: '*' }] } }],
    });
    const keys = standin.createAccessKey('alice');

    const result = await runInProcess(standin, { 'user-name': 'ALICE', 'aws-access-key-id': keys.accessKeyId, 'aws-secret-access-key': keys.secretAccessKey });

    expect(result.failure).toMatch(
      /iam:GetUser failed: AccessDenied: User: .*user\/alice .*allow iam:GetUser on the users it may reset, or set mask-user-name: false\./,
    );
    expect(printedBeforeMask(result, 'alice')).toEqual([]);
    expect(result.summary).not.toMatch(/alice/i);
    expect(result.outputs).toMatchObject({ result: 'failed', 'planned-devices': '[]' });
  });

  it('with mask-user-name: false, asks IAM nothing more and shows the name', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('carol.example');
    standin.addHardwareMfa('carol.example');

    const result = await runInProcess(standin, { 'user-name': 'carol.example', 'role-to-assume': role, 'mask-user-name': 'false' });

    expect(result.failure).toBeUndefined();
    expect(calls(result, 'GetUser')).toEqual([]);
    expect(result.masked).not.toContain('carol.example');
    expect(result.summary).toContain('<code>carol.example</code>');
    expect(result.summary).not.toContain('IAM user id');
  });

  it('mask-user-name: true masks the name first, and the summary shows ***', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('carol.example');
    standin.addHardwareMfa('carol.example');

    const result = await runInProcess(standin, { 'user-name': 'carol.example', 'role-to-assume': role, 'mfa-token': '907341' });

    expect(result.failure).toBeUndefined();
    expect(maskedFirst(result, ['carol.example', '907341'])).toEqual([]);
    expect(result.summary).not.toContain('carol.example');
    expect(result.summary).toContain('<code>***</code>');
  });

  it('GetUser refused to the role: fails naming iam:GetUser and mask-user-name: false, listing nothing', async ({ standin }) => {
    const policies = [
      {
        name: 'devices-only',
        document: { Version: VERSION, Statement: [{ Effect: 'Allow', Action: ['iam:ListMFADevices', 'iam:DeactivateMFADevice'], Resource: '*' }] },
      },
    ];
    const role = standin.createRole('gha-mfa-admin', { subject: 'repo:octo/app:*', policies }).arn;
    standin.createUser('bob');
    standin.addVirtualMfa('bob', 'phone-1');

    const result = await runInProcess(standin, { 'user-name': 'bob', 'role-to-assume': role });

    expect(result.failure).toMatch(/iam:GetUser failed: AccessDenied: .*allow iam:GetUser on the users it may reset, or set mask-user-name: false\./);
    expect(result.requests.filter((entry) => entry.service === 'iam').map((entry) => entry.action)).toEqual(['GetUser']);
    expect(result.outputs).toMatchObject({ result: 'failed', 'planned-devices': '[]' });
  });

  it('an unknown user fails naming user-name', async ({ standin }) => {
    const role = adminRole(standin);

    const result = await runInProcess(standin, { 'user-name': 'nobody', 'role-to-assume': role });

    expect(result.failure).toMatch(/^deactivate-iam-mfa: Input user-name names no IAM user in this account/);
    expect(result.requests.filter((entry) => entry.service === 'iam').map((entry) => entry.action)).toEqual(['GetUser']);
  });
});

describe.concurrent('secrets', () => {
  it("the role's credentials stay in memory, masked before the first line", async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('kim');
    standin.addVirtualMfa('kim', 'kim-phone');
    const envBefore = { ...process.env };

    const result = await runInProcess(standin, { 'user-name': 'kim', 'role-to-assume': role });

    expect(result.failure).toBeUndefined();
    expect(process.env).toEqual(envBefore);
    expectNoLeaks(standin, result);
    const handedOver = result.masked.filter((secret) => standin.issuedSecrets().includes(secret));
    expect(handedOver).toHaveLength(4); // the OIDC token, the role session's three parts
    const maskAt = (secret: string): number => result.events.findIndex((event) => event.kind === 'mask' && event.text === secret);
    const firstLine = result.events.findIndex((event) => event.kind !== 'mask');
    expect(handedOver.map(maskAt).filter((at) => at > firstLine)).toEqual([]);
  });

  it("the user's keys, code and MFA session stay in memory, each masked before anything else is printed once it exists", async ({ standin }) => {
    const kim = keyOwner(standin, 'kim');
    const code = kim.code();
    const envBefore = { ...process.env };

    const result = await runInProcess(standin, { 'user-name': 'kim', ...kim.inputs, 'mfa-token': code });

    expect(result.failure).toBeUndefined();
    expect(result.outputs['step-up-used']).toBe('true'); // the whole path ran: refusal, step-up, retry
    expect(process.env).toEqual(envBefore);
    expectNoLeaks(standin, result, [code]);
    // The inputs are masked before the first line; the MFA session, before the line that says it exists.
    expect(maskedFirst(result, [code, kim.keys.accessKeyId, kim.keys.secretAccessKey, 'kim'])).toEqual([]);
    const handedOver = result.masked.filter((secret) => standin.issuedSecrets().includes(secret) && !Object.values(kim.keys).includes(secret));
    expect(handedOver).toHaveLength(3); // the MFA session's three parts
    const maskAt = (secret: string): number => result.events.findIndex((event) => event.kind === 'mask' && event.text === secret);
    const stepUpLine = result.events.findIndex((event) => event.text.startsWith('MFA session obtained as'));
    expect(stepUpLine).toBeGreaterThan(0);
    expect(handedOver.map(maskAt).filter((at) => at > stepUpLine)).toEqual([]);
  });
});
