import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  ListMFADevicesCommand,
  paginateListMFADevices,
} from '@aws-sdk/client-iam';
import type { MFADevice } from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from '../../standin/index.ts';
import type { Standin } from '../../standin/index.ts';
import { otpauthUri, qrCodePng } from '../../standin/qr.ts';
import { failure, iamAs, keysOf, rawResponse, stsAs } from '../../standin/sdk.ts';
import type { Keys } from '../../standin/sdk.ts';

let standin: Standin;
let admin: Keys;

beforeEach(async () => {
  standin = await startStandin();
  standin.createUser('root-admin', { admin: true, requireMfaForSelf: false });
  admin = standin.createAccessKey('root-admin');
});
afterEach(async () => {
  await standin.close();
});

/** An MFA-authenticated session for a user, stepped up with one of its TOTP devices. */
async function mfaSession(keys: Keys, serial: string, seed: string): Promise<Keys> {
  const { Credentials } = await stsAs(standin, keys).send(
    new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: standin.totp(seed), DurationSeconds: 900 }),
  );
  return keysOf(Credentials);
}

describe('ListMFADevices', () => {
  it('pages 8 devices of every kind with MaxItems 3, as the SDK paginator follows them', async () => {
    standin.createUser('alice');
    const serials = [
      ...Array.from({ length: 5 }, (_, i) => standin.addVirtualMfa('alice', `alice-${i}`).serial),
      standin.addHardwareMfa('alice', 'GAHT12345678').serial,
      standin.addHardwareMfa('alice').serial,
      standin.addFidoKey('alice').serial,
    ];
    const iam = iamAs(standin, admin);

    const first = await iam.send(new ListMFADevicesCommand({ UserName: 'alice', MaxItems: 3 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toEqual(expect.any(String));
    expect(first.MFADevices).toHaveLength(3);
    expect(first.MFADevices![0]).toEqual({ UserName: 'alice', SerialNumber: serials[0], EnableDate: expect.any(Date) });

    const pages: MFADevice[][] = [];
    for await (const page of paginateListMFADevices({ client: iam, pageSize: 3 }, { UserName: 'alice' })) {
      pages.push(page.MFADevices ?? []);
    }
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat().map((device) => device.SerialNumber)).toEqual(serials);
    expect(serials[7]).toMatch(/^arn:aws:iam::123456789012:u2f\/user\/alice\/fidosecuritykey-[A-Z2-7]{26}$/);
    expect(serials[6]).toMatch(/^GAHT\d{8}$/);

    // A client sending no MaxItems still pages when the service truncates early.
    standin.listPageSize = 5;
    const capped = await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }));
    expect([capped.MFADevices?.length, capped.IsTruncated]).toEqual([5, true]);
    const rest = await iam.send(new ListMFADevicesCommand({ UserName: 'alice', Marker: capped.Marker! }));
    expect([rest.MFADevices?.length, rest.IsTruncated, rest.Marker]).toEqual([3, false, undefined]);
  });

  it("lists the caller's own devices without UserName", async () => {
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    const { serial } = standin.addVirtualMfa('bob', 'bob-phone');
    const own = await iamAs(standin, bob).send(new ListMFADevicesCommand({}));
    expect(own.MFADevices?.map((device) => device.SerialNumber)).toEqual([serial]);
    expect(own.IsTruncated).toBe(false);
    expect(standin.requests.at(-1)).toMatchObject({ action: 'ListMFADevices', identity: 'arn:aws:iam::123456789012:user/bob', params: {} });
  });

  it('refuses a self-service user looking at someone else, and reports unknown users', async () => {
    standin.createUser('alice');
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    expect(await failure(iamAs(standin, bob).send(new ListMFADevicesCommand({ UserName: 'alice' })))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:ListMFADevices on resource: user alice ' +
        'because no identity-based policy allows the iam:ListMFADevices action',
    });
    expect(await failure(iamAs(standin, admin).send(new ListMFADevicesCommand({ UserName: 'nobody' })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The user with name nobody cannot be found.',
    });
  });

  it('validates parameters with AWS wording', async () => {
    const error = await failure(iamAs(standin, admin).send(new ListMFADevicesCommand({ UserName: 'bad name!', MaxItems: 0 })));
    expect(error).toEqual({
      name: 'ValidationError',
      status: 400,
      message:
        "2 validation errors detected: Value 'bad name!' at 'userName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\w+=,.@-]+; ' +
        "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
  });
});

describe('DeactivateMFADevice', () => {
  it("lets an admin deactivate another user's device; a virtual device then remains, unassigned", async () => {
    standin.createUser('alice');
    const virtual = standin.addVirtualMfa('alice', 'alice-phone');
    const hardware = standin.addHardwareMfa('alice');
    const iam = iamAs(standin, admin);
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: virtual.serial }));
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: hardware.serial }));
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(standin.virtualDevices()).toEqual([{ serial: virtual.serial, userName: undefined }]);

    expect(await failure(iam.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: virtual.serial })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `MFA Device with serial number ${virtual.serial} does not exist.`,
    });
    expect(standin.requests.map((r) => `${r.action}:${r.outcome}:${r.status}`)).toEqual([
      'DeactivateMFADevice:ok:200',
      'DeactivateMFADevice:ok:200',
      'DeactivateMFADevice:NoSuchEntity:404',
    ]);
  });

  it('refuses a user changing their own MFA without an MFA session, and allows it after GetSessionToken', async () => {
    standin.consistencyWindowMs = 0; // eventual consistency has its own tests (refusals.test.ts)
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    const phone = standin.addVirtualMfa('bob', 'bob-phone');
    const spare = standin.addVirtualMfa('bob', 'bob-spare');

    expect(await failure(iamAs(standin, bob).send(new DeactivateMFADeviceCommand({ UserName: 'bob', SerialNumber: spare.serial })))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: 'To complete this action, please ensure that you are authenticated with an MFA device that is enabled for this user.',
    });
    expect(standin.devicesOf('bob')).toEqual([phone.serial, spare.serial]);

    const session = await mfaSession(bob, phone.serial, phone.seed);
    const iam = iamAs(standin, session);
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'bob', SerialNumber: spare.serial }));
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: spare.serial }));
    expect(standin.devicesOf('bob')).toEqual([phone.serial]);
    expect(standin.requests.at(-1)).toMatchObject({ identity: 'arn:aws:iam::123456789012:user/bob', mfa: true, outcome: 'ok' });
    expect(standin.requests.at(-1)?.accessKeyId).toMatch(/^ASIA/);
  });

  it('does not apply the self rule when it is switched off for the user', async () => {
    standin.createUser('eve', { requireMfaForSelf: false });
    const eve = standin.createAccessKey('eve');
    const { serial } = standin.addVirtualMfa('eve', 'eve-phone');
    await iamAs(standin, eve).send(new DeactivateMFADeviceCommand({ UserName: 'eve', SerialNumber: serial }));
    expect(standin.devicesOf('eve')).toEqual([]);
  });

  it("refuses a self-service user acting on someone else's device", async () => {
    standin.createUser('alice');
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    const { serial } = standin.addVirtualMfa('alice', 'alice-phone');
    expect((await failure(iamAs(standin, bob).send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial })))).message).toBe(
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:DeactivateMFADevice on resource: user alice ' +
        'because no identity-based policy allows the iam:DeactivateMFADevice action',
    );
  });

  it('applies an MFA-conditioned deny policy even to an admin, until it steps up', async () => {
    standin.createUser('carol', { admin: true, requireMfaForSelf: false, mfaDenyPolicy: true });
    const carol = standin.createAccessKey('carol');
    const carolPhone = standin.addVirtualMfa('carol', 'carol-phone');
    standin.createUser('alice');
    const { serial } = standin.addVirtualMfa('alice', 'alice-phone');
    const request = new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial });

    expect(await failure(iamAs(standin, carol).send(request))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:iam::123456789012:user/carol is not authorized to perform: iam:DeactivateMFADevice on resource: user alice ' +
        'with an explicit deny in an identity-based policy',
    });
    await iamAs(standin, await mfaSession(carol, carolPhone.serial, carolPhone.seed)).send(request);
    expect(standin.devicesOf('alice')).toEqual([]);
  });

  it('refuses IAM to GetSessionToken credentials obtained without MFA', async () => {
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    const { Credentials } = await stsAs(standin, bob).send(new GetSessionTokenCommand({}));
    const session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    expect(await failure(iamAs(standin, session).send(new ListMFADevicesCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
  });
});

describe('virtual devices', () => {
  it('creates, enables with two consecutive codes, refuses duplicates and deletes only when unassigned', async () => {
    standin.consistencyWindowMs = 0; // eventual consistency has its own tests (refusals.test.ts)
    standin.createUser('dave');
    const iam = iamAs(standin, admin);
    const created = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'dave-phone' }));
    const serial = created.VirtualMFADevice!.SerialNumber!;
    const seed = new TextDecoder().decode(created.VirtualMFADevice!.Base32StringSeed);
    expect(serial).toBe('arn:aws:iam::123456789012:mfa/dave-phone');
    expect(seed).toMatch(/^[A-Z2-7]{64}$/);
    // The IAM reference: a PNG of otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String.
    expect(Buffer.from(created.VirtualMFADevice!.QRCodePNG!)).toEqual(await qrCodePng(otpauthUri('dave-phone', '123456789012', seed)));
    expect(standin.virtualDevices()).toEqual([{ serial, userName: undefined }]);

    expect((await failure(iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'dave-phone' })))).name).toBe('EntityAlreadyExistsException');

    const now = standin.clock.now();
    const wrong = await failure(
      iam.send(
        new EnableMFADeviceCommand({
          UserName: 'dave',
          SerialNumber: serial,
          AuthenticationCode1: standin.totp(seed, now),
          AuthenticationCode2: standin.totp(seed, now),
        }),
      ),
    );
    expect(wrong).toEqual({ name: 'InvalidAuthenticationCodeException', status: 403, message: 'Authentication code for device is not valid.' });

    await iam.send(
      new EnableMFADeviceCommand({
        UserName: 'dave',
        SerialNumber: serial,
        AuthenticationCode1: standin.totp(seed, now - 30_000),
        AuthenticationCode2: standin.totp(seed, now),
      }),
    );
    expect(standin.devicesOf('dave')).toEqual([serial]);

    expect(await failure(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })))).toEqual({
      name: 'DeleteConflictException',
      status: 409,
      message: 'MFA Device is still in use',
    });
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'dave', SerialNumber: serial }));
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    expect(standin.virtualDevices()).toEqual([]);
    expect((await failure(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })))).message).toBe(
      `VirtualMFADevice with serial number ${serial} doesn't exist.`,
    );
  });

  it("validates with IAM's own patterns: [\\d]+ for authentication codes, printable ASCII in paths", async () => {
    const iam = iamAs(standin, admin);
    const enable = await failure(
      iam.send(
        new EnableMFADeviceCommand({
          UserName: 'dave',
          SerialNumber: 'arn:aws:iam::123456789012:mfa/x',
          AuthenticationCode1: '12345a',
          AuthenticationCode2: '123456',
        }),
      ),
    );
    expect(enable.message).toBe(
      "1 validation error detected: Value '12345a' at 'authenticationCode1' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]+",
    );
    const path = await failure(iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'x', Path: '/a\u007Fb/' })));
    expect(path.message).toBe(
      "1 validation error detected: Value '/a\u007Fb/' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
        '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
    );
  });

  it('stops at 8 devices per user', async () => {
    standin.createUser('frank');
    for (let i = 0; i < 8; i++) standin.addVirtualMfa('frank', `frank-${i}`);
    expect(() => standin.addHardwareMfa('frank')).toThrow('Cannot exceed quota for MFADevicesPerUser: 8');

    const iam = iamAs(standin, admin);
    const created = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'frank-9' }));
    const seed = new TextDecoder().decode(created.VirtualMFADevice!.Base32StringSeed);
    const now = standin.clock.now();
    const error = await failure(
      iam.send(
        new EnableMFADeviceCommand({
          UserName: 'frank',
          SerialNumber: created.VirtualMFADevice!.SerialNumber!,
          AuthenticationCode1: standin.totp(seed, now - 30_000),
          AuthenticationCode2: standin.totp(seed, now),
        }),
      ),
    );
    expect(error).toEqual({ name: 'LimitExceededException', status: 409, message: 'Cannot exceed quota for MFADevicesPerUser: 8' });
  });
});

describe('users and keys', () => {
  it('creates a user and an access key that then works, and refuses both to a self-service user', async () => {
    const iam = iamAs(standin, admin);
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'gina' }));
    expect(User).toMatchObject({ UserName: 'gina', Path: '/', Arn: 'arn:aws:iam::123456789012:user/gina' });
    expect(User?.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect((await failure(iam.send(new CreateUserCommand({ UserName: 'gina' })))).message).toBe('User with name gina already exists.');

    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'gina' }));
    expect(AccessKey).toMatchObject({ UserName: 'gina', Status: 'Active' });
    expect(AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    const gina = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    expect((await iamAs(standin, gina).send(new ListMFADevicesCommand({}))).MFADevices).toEqual([]);
    expect((await failure(iamAs(standin, gina).send(new CreateUserCommand({ UserName: 'hank' })))).name).toBe('AccessDenied');
  });
});

describe('GetUser', () => {
  it('answers with the name IAM stores, whatever case was asked, in the Query XML shape', async () => {
    const { userId, arn } = standin.createUser('Alice');
    const { status, body } = await rawResponse(iamAs(standin, admin), new GetUserCommand({ UserName: 'aLICE' }));

    expect(status).toBe(200);
    expect(body).toMatch(
      new RegExp(
        '^<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n  <GetUserResult>\n    <User>\n' +
          `      <UserId>${userId}</UserId>\n      <Path>/</Path>\n      <UserName>Alice</UserName>\n` +
          `      <Arn>${arn}</Arn>\n      <CreateDate>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</CreateDate>\n` +
          '    </User>\n  </GetUserResult>\n  <ResponseMetadata>\n    <RequestId>[\\w-]+</RequestId>\n  </ResponseMetadata>\n</GetUserResponse>\n$',
      ),
    );
    const { User } = await iamAs(standin, admin).send(new GetUserCommand({ UserName: 'ALICE' }));
    expect(User).toEqual({ UserId: userId, Path: '/', UserName: 'Alice', Arn: arn, CreateDate: expect.any(Date) });
    expect(userId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it("without UserName answers the caller's own user, and any case of its name finds it", async () => {
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    expect((await iamAs(standin, bob).send(new GetUserCommand({}))).User?.UserName).toBe('bob');
    expect((await iamAs(standin, bob).send(new GetUserCommand({ UserName: 'BOB' }))).User?.UserName).toBe('bob');
  });

  it('reports an unknown user as NoSuchEntity and refuses a self-service user looking at another', async () => {
    standin.createUser('alice');
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    expect(await failure(iamAs(standin, admin).send(new GetUserCommand({ UserName: 'nobody' })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The user with name nobody cannot be found.',
    });
    expect(await failure(iamAs(standin, bob).send(new GetUserCommand({ UserName: 'ALICE' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});

describe('user names are case-insensitive everywhere, as in IAM', () => {
  it('lists, deactivates and refuses duplicates whatever case the request uses', async () => {
    standin.createUser('Carol');
    const phone = standin.addVirtualMfa('CAROL', 'carol-phone');
    const iam = iamAs(standin, admin);

    const { MFADevices } = await iam.send(new ListMFADevicesCommand({ UserName: 'cArOl' }));
    expect(MFADevices?.map((device) => [device.UserName, device.SerialNumber])).toEqual([['Carol', phone.serial]]);
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'carol', SerialNumber: phone.serial }));
    expect(standin.devicesOf('Carol')).toEqual([]);
    expect((await failure(iam.send(new CreateUserCommand({ UserName: 'CAROL' })))).name).toBe('EntityAlreadyExistsException');
  });
});
