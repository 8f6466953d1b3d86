// The IAM operations' own answers for the contract test: the shapes a success can take (pages,
// empty lists, blobs, no Result element) and each refusal the handlers give.
import * as iam from '@aws-sdk/client-iam';
import type { Case } from './contract-cases.ts';
import { sendAs } from './contract-cases.ts';

const UNKNOWN_SERIAL = 'arn:aws:iam::123456789012:mfa/nobody-phone';

export const IAM_CASES: Case[] = [
  // ListMFADevices
  {
    op: 'ListMFADevices',
    expect: 'ok',
    why: 'a first page: IsTruncated and a Marker',
    send: (w) => w.send(w.iam(w.admin), new iam.ListMFADevicesCommand({ UserName: 'alice', MaxItems: 1 })),
  },
  {
    op: 'ListMFADevices',
    expect: 'ok',
    why: 'a user with no device: an empty list',
    send: (w) => w.send(w.iam(w.admin), new iam.ListMFADevicesCommand({ UserName: 'mallory' })),
  },
  { op: 'ListMFADevices', expect: 'ok', why: 'the caller itself, no UserName', send: (w) => w.send(w.iam(w.bob), new iam.ListMFADevicesCommand({})) },
  { op: 'ListMFADevices', expect: 'AccessDenied', why: "a self-service user listing another's", send: (w) => sendAs(w, 'ListMFADevices', w.bob) },
  {
    op: 'ListMFADevices',
    expect: 'NoSuchEntity',
    why: 'an unknown user',
    send: (w) => w.send(w.iam(w.admin), new iam.ListMFADevicesCommand({ UserName: 'nobody' })),
  },
  {
    op: 'ListMFADevices',
    expect: 'ValidationError',
    why: 'a Marker of no list',
    send: (w) => w.send(w.iam(w.admin), new iam.ListMFADevicesCommand({ UserName: 'alice', Marker: 'not-a-marker' })),
  },

  // DeactivateMFADevice
  {
    op: 'DeactivateMFADevice',
    expect: 'AccessDenied',
    why: 'a user changing its own MFA without an MFA session',
    send: (w) => w.send(w.iam(w.bob), new iam.DeactivateMFADeviceCommand({ UserName: 'bob', SerialNumber: w.phone.serial })),
  },
  {
    op: 'DeactivateMFADevice',
    expect: 'ok',
    why: 'the same, after stepping up',
    send: async (w) => w.send(w.iam(await w.bobWithMfa()), new iam.DeactivateMFADeviceCommand({ UserName: 'bob', SerialNumber: w.phone.serial })),
  },
  {
    op: 'DeactivateMFADevice',
    expect: 'NoSuchEntity',
    why: 'a serial the user does not have',
    send: (w) => w.send(w.iam(w.admin), new iam.DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: UNKNOWN_SERIAL })),
  },

  // DeleteVirtualMFADevice
  {
    op: 'DeleteVirtualMFADevice',
    expect: 'DeleteConflict',
    why: 'a device still enabled',
    send: (w) => w.send(w.iam(w.admin), new iam.DeleteVirtualMFADeviceCommand({ SerialNumber: w.alice.virtual.serial })),
  },
  {
    op: 'DeleteVirtualMFADevice',
    expect: 'DeleteConflict',
    why: 'a device deactivated a moment ago (eventual consistency)',
    send: async (w) => {
      w.standin.consistencyWindowMs = 60_000;
      await w.iam(w.admin).send(new iam.DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: w.alice.virtual.serial }));
      return w.send(w.iam(w.admin), new iam.DeleteVirtualMFADeviceCommand({ SerialNumber: w.alice.virtual.serial }));
    },
  },
  {
    op: 'DeleteVirtualMFADevice',
    expect: 'NoSuchEntity',
    why: 'an unknown serial',
    send: (w) => w.send(w.iam(w.admin), new iam.DeleteVirtualMFADeviceCommand({ SerialNumber: UNKNOWN_SERIAL })),
  },
  { op: 'DeleteVirtualMFADevice', expect: 'AccessDenied', why: 'a user with no policy', send: (w) => sendAs(w, 'DeleteVirtualMFADevice', w.mallory) },

  // CreateVirtualMFADevice
  {
    op: 'CreateVirtualMFADevice',
    expect: 'EntityAlreadyExists',
    why: 'the name of a device that exists',
    send: (w) => w.send(w.iam(w.admin), new iam.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' })),
  },
  { op: 'CreateVirtualMFADevice', expect: 'AccessDenied', why: 'a user with no policy', send: (w) => sendAs(w, 'CreateVirtualMFADevice', w.mallory) },

  // EnableMFADevice
  {
    op: 'EnableMFADevice',
    expect: 'InvalidAuthenticationCode',
    why: 'the same code twice',
    send: async (w) => {
      const { serial, seed } = w.standin.addVirtualMfa('alice', 'alice-new', { assigned: false });
      const code = w.standin.totp(seed);
      return w.send(
        w.iam(w.admin),
        new iam.EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: code, AuthenticationCode2: code }),
      );
    },
  },
  {
    op: 'EnableMFADevice',
    expect: 'EntityAlreadyExists',
    why: "another user's enabled device",
    send: (w) =>
      w.send(
        w.iam(w.admin),
        new iam.EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: w.phone.serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
      ),
  },
  {
    op: 'EnableMFADevice',
    expect: 'NoSuchEntity',
    why: 'an unknown serial',
    send: (w) =>
      w.send(
        w.iam(w.admin),
        new iam.EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: UNKNOWN_SERIAL, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
      ),
  },
  {
    op: 'EnableMFADevice',
    expect: 'LimitExceeded',
    why: 'a ninth device',
    send: (w) => {
      for (let i = 0; i < 6; i++) w.standin.addVirtualMfa('alice', `alice-${i}`);
      return sendAs(w, 'EnableMFADevice');
    },
  },
  { op: 'EnableMFADevice', expect: 'AccessDenied', why: 'a user with no policy', send: (w) => sendAs(w, 'EnableMFADevice', w.mallory) },

  // CreateUser, GetUser, CreateAccessKey, ListUserTags
  {
    op: 'CreateUser',
    expect: 'EntityAlreadyExists',
    why: 'a name taken, in another case',
    send: (w) => w.send(w.iam(w.admin), new iam.CreateUserCommand({ UserName: 'ALICE' })),
  },
  { op: 'CreateUser', expect: 'AccessDenied', why: 'a user with no policy', send: (w) => sendAs(w, 'CreateUser', w.mallory) },
  { op: 'GetUser', expect: 'ok', why: 'the caller itself, no UserName', send: (w) => w.send(w.iam(w.bob), new iam.GetUserCommand({})) },
  { op: 'GetUser', expect: 'NoSuchEntity', why: 'an unknown user', send: (w) => w.send(w.iam(w.admin), new iam.GetUserCommand({ UserName: 'nobody' })) },
  { op: 'GetUser', expect: 'AccessDenied', why: 'a self-service user reading another', send: (w) => sendAs(w, 'GetUser', w.bob) },
  {
    op: 'CreateAccessKey',
    expect: 'LimitExceeded',
    why: 'a third key',
    send: (w) => {
      w.standin.createAccessKey('alice');
      w.standin.createAccessKey('alice');
      return sendAs(w, 'CreateAccessKey');
    },
  },
  {
    op: 'CreateAccessKey',
    expect: 'NoSuchEntity',
    why: 'an unknown user',
    send: (w) => w.send(w.iam(w.admin), new iam.CreateAccessKeyCommand({ UserName: 'nobody' })),
  },
  { op: 'CreateAccessKey', expect: 'AccessDenied', why: "a self-service user creating another's key", send: (w) => sendAs(w, 'CreateAccessKey', w.bob) },
  {
    op: 'ListUserTags',
    expect: 'ok',
    why: 'a first page of tags',
    send: (w) => {
      w.standin.createUser('tagged', { tags: { team: 'ops', 'cost-center': '42' } });
      return w.send(w.iam(w.admin), new iam.ListUserTagsCommand({ UserName: 'tagged', MaxItems: 1 }));
    },
  },
  {
    op: 'ListUserTags',
    expect: 'NoSuchEntity',
    why: 'an unknown user',
    send: (w) => w.send(w.iam(w.admin), new iam.ListUserTagsCommand({ UserName: 'nobody' })),
  },
  { op: 'ListUserTags', expect: 'AccessDenied', why: "a self-service user reading another's", send: (w) => sendAs(w, 'ListUserTags', w.bob) },
];
