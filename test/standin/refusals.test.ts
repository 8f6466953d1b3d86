// What real IAM and STS answer and the stand-in now does too, driven with the real AWS SDK: the
// 409s, STS's temporary answers about the identity provider, an expired web identity token,
// RegionDisabledException, the eventual consistency of deleting a device just deactivated, and
// authorization before any entity is looked up.
import { DeactivateMFADeviceCommand, DeleteVirtualMFADeviceCommand } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONSISTENCY_WINDOW_MS, startStandin } from '../../standin/index.ts';
import type { Standin } from '../../standin/index.ts';
import { failure, iamAs, stsAs } from '../../standin/sdk.ts';
import type { Keys } from '../../standin/sdk.ts';

let standin: Standin;
let admin: Keys;
let device: { serial: string; seed: string };

beforeEach(async () => {
  standin = await startStandin({ consistencyWindowMs: CONSISTENCY_WINDOW_MS });
  standin.createUser('root-admin', { admin: true, requireMfaForSelf: false });
  admin = standin.createAccessKey('root-admin');
  standin.createUser('alice');
  device = standin.addVirtualMfa('alice', 'alice-phone');
});
afterEach(async () => {
  await standin.close();
});

const deactivate = () => new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: device.serial });
const outcomes = (action: string) => standin.requests.filter((r) => r.action === action).map((r) => r.outcome);

describe("IAM's 409s, which the SDK does not retry", () => {
  it('answers EntityTemporarilyUnmodifiable once, N times or always, changing nothing', async () => {
    const iam = iamAs(standin, admin, { maxAttempts: 3 });
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'temporarily-unmodifiable' });
    const error = await failure(iam.send(deactivate()));
    expect(error).toMatchObject({ name: 'EntityTemporarilyUnmodifiableException', status: 409 });
    expect(error.message).toMatch(/^The request was rejected because it referenced an entity that is temporarily unmodifiable/);
    expect(outcomes('DeactivateMFADevice')).toEqual(['EntityTemporarilyUnmodifiable']);
    expect(standin.devicesOf('alice')).toEqual([device.serial]);

    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'temporarily-unmodifiable', times: 2 });
    for (let i = 0; i < 2; i++) await failure(iam.send(deactivate()));
    await iam.send(deactivate());
    expect(outcomes('DeactivateMFADevice')).toEqual(['EntityTemporarilyUnmodifiable', 'EntityTemporarilyUnmodifiable', 'EntityTemporarilyUnmodifiable', 'ok']);
  });

  it('answers ConcurrentModification on every DeleteVirtualMFADevice when asked to always', async () => {
    const spare = standin.addVirtualMfa('alice', 'alice-spare', { assigned: false });
    standin.faults.inject({ action: 'DeleteVirtualMFADevice', kind: 'concurrent-modification', times: Infinity });
    const iam = iamAs(standin, admin);
    for (let i = 0; i < 3; i++) {
      expect(await failure(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: spare.serial })))).toMatchObject({
        name: 'ConcurrentModificationException',
        status: 409,
        message:
          'The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.',
      });
    }
    expect(standin.virtualDevices().map((d) => d.serial)).toContain(spare.serial);
    standin.faults.clear();
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: spare.serial }));
  });
});

describe('eventual consistency: DeleteVirtualMFADevice right after a deactivation', () => {
  it('answers DeleteConflict within the window, and deletes once it has passed', async () => {
    const iam = iamAs(standin, admin);
    await iam.send(deactivate());
    const deleting = new DeleteVirtualMFADeviceCommand({ SerialNumber: device.serial });
    expect(await failure(iam.send(deleting))).toEqual({ name: 'DeleteConflictException', status: 409, message: 'MFA Device is still in use' });
    standin.clock.advance(CONSISTENCY_WINDOW_MS);
    await iam.send(deleting);
    expect(standin.virtualDevices()).toEqual([]);
    expect(outcomes('DeleteVirtualMFADevice')).toEqual(['DeleteConflict', 'ok']);
  });

  it('takes any window, 0 for none, at start or at any time', async () => {
    standin.consistencyWindowMs = 0;
    const iam = iamAs(standin, admin);
    await iam.send(deactivate());
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: device.serial }));

    const other = await startStandin({ consistencyWindowMs: 60_000 });
    try {
      other.createUser('admin', { admin: true, requireMfaForSelf: false });
      const keys = other.createAccessKey('admin');
      const { serial } = other.addVirtualMfa('admin', 'admin-phone');
      await iamAs(other, keys).send(new DeactivateMFADeviceCommand({ UserName: 'admin', SerialNumber: serial }));
      other.clock.advance(59_000);
      expect(
        (await failure(iamAs(other, keys, { systemClockOffset: other.clock.offsetMs }).send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })))).name,
      ).toBe('DeleteConflictException');
    } finally {
      await other.close();
    }
  });
});

describe("STS's answers about the web identity and the region", () => {
  let roleArn: string;
  beforeEach(() => {
    roleArn = standin.createRole('gha-mfa-admin', { admin: true }).arn;
  });
  const assume = async () =>
    stsAs(standin).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'gh-octocat-1-1', WebIdentityToken: await standin.oidc.issueToken() }),
    );

  it('answers InvalidIdentityToken "Couldn\'t retrieve verification key" while asked to, then assumes the role', async () => {
    standin.faults.inject({ action: 'AssumeRoleWithWebIdentity', kind: 'idp-key-unavailable', times: 2 });
    for (let i = 0; i < 2; i++) {
      expect(await failure(assume())).toEqual({
        name: 'InvalidIdentityTokenException',
        status: 400,
        message: "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
      });
    }
    expect((await assume()).AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/gha-mfa-admin/gh-octocat-1-1');

    // The SDK does not retry it by itself: the caller must (configure-aws-credentials does).
    standin.faults.inject({ action: 'AssumeRoleWithWebIdentity', kind: 'idp-key-unavailable' });
    const token = await standin.oidc.issueToken();
    const input = { RoleArn: roleArn, RoleSessionName: 'gh-1', WebIdentityToken: token };
    expect((await failure(stsAs(standin, undefined, { maxAttempts: 3 }).send(new AssumeRoleWithWebIdentityCommand(input)))).name).toBe(
      'InvalidIdentityTokenException',
    );
    expect(outcomes('AssumeRoleWithWebIdentity').slice(3)).toEqual(['InvalidIdentityToken']);
  });

  it('answers IDPCommunicationError, a temporary refusal', async () => {
    standin.faults.inject({ action: 'AssumeRoleWithWebIdentity', kind: 'idp-communication-error' });
    const error = await failure(assume());
    expect(error).toMatchObject({ name: 'IDPCommunicationErrorException', status: 400 });
    expect(error.message).toMatch(/identity provider \(IDP\) that was asked to verify the incoming identity token could not be reached/);
    await assume();

    // The SDK's standard retry does absorb this one.
    standin.faults.inject({ action: 'AssumeRoleWithWebIdentity', kind: 'idp-communication-error' });
    const token = await standin.oidc.issueToken();
    await stsAs(standin, undefined, { maxAttempts: 2 }).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'gh-1', WebIdentityToken: token }),
    );
    expect(outcomes('AssumeRoleWithWebIdentity')).toEqual(['IDPCommunicationError', 'ok', 'IDPCommunicationError', 'ok']);
  });

  it('answers ExpiredTokenException as for a token past its exp, naming its exp', async () => {
    standin.faults.inject({ action: 'AssumeRoleWithWebIdentity', kind: 'expired-web-identity-token' });
    const token = await standin.oidc.issueToken();
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    const error = await failure(
      stsAs(standin).send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'gh-1', WebIdentityToken: token })),
    );
    expect(error).toEqual({
      name: 'ExpiredTokenException',
      status: 400,
      message: `Token expired: current date/time ${exp + 1} must be before the expiration date/time${exp}`,
    });
  });

  it('answers RegionDisabledException to GetSessionToken and AssumeRoleWithWebIdentity', async () => {
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    standin.faults.inject({ action: 'GetSessionToken', kind: 'region-disabled' });
    standin.faults.inject({ action: 'AssumeRoleWithWebIdentity', kind: 'region-disabled' });
    const message =
      'STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.';
    expect(await failure(stsAs(standin, bob).send(new GetSessionTokenCommand({})))).toEqual({ name: 'RegionDisabledException', status: 403, message });
    expect(await failure(assume())).toEqual({ name: 'RegionDisabledException', status: 403, message });
  });
});

describe('authorization before the entity is looked up', () => {
  const UNKNOWN = 'arn:aws:iam::123456789012:mfa/no-such-device';

  it("refuses a user's own unknown serial for want of MFA, not as NoSuchEntity", async () => {
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    const own = new DeactivateMFADeviceCommand({ UserName: 'bob', SerialNumber: UNKNOWN });
    expect(await failure(iamAs(standin, bob).send(own))).toMatchObject({ name: 'AccessDenied', message: expect.stringMatching(/^To complete this action/) });
    expect(await failure(iamAs(standin, bob).send(new DeleteVirtualMFADeviceCommand({ SerialNumber: UNKNOWN })))).toMatchObject({ name: 'AccessDenied' });
    expect(await failure(iamAs(standin, admin).send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: UNKNOWN })))).toMatchObject({
      name: 'NoSuchEntityException',
    });
  });

  it('refuses an unknown serial and an unknown user by policy before looking either up', async () => {
    standin.createUser('carol', {
      requireMfaForSelf: false,
      policies: [
        { name: 'Admin', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
        { name: 'NoDeactivate', document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:DeactivateMFADevice', Resource: '*' }] } },
      ],
    });
    const carol = standin.createAccessKey('carol');
    standin.createUser('mallory', { policies: [] });
    const mallory = standin.createAccessKey('mallory');
    expect((await failure(iamAs(standin, carol).send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: UNKNOWN })))).message).toMatch(
      /with an explicit deny in an identity-based policy$/,
    );
    expect((await failure(iamAs(standin, mallory).send(new DeactivateMFADeviceCommand({ UserName: 'nobody', SerialNumber: UNKNOWN })))).message).toBe(
      'User: arn:aws:iam::123456789012:user/mallory is not authorized to perform: iam:DeactivateMFADevice on resource: user nobody ' +
        'because no identity-based policy allows the iam:DeactivateMFADevice action',
    );
    expect((await failure(iamAs(standin, mallory).send(new DeleteVirtualMFADeviceCommand({ SerialNumber: UNKNOWN })))).name).toBe('AccessDenied');
  });
});
