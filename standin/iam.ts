// IAM actions (Version 2010-05-08) the action and its tests use, with AWS's parameters, result
// shapes and refusals.
import { errors } from './errors.ts';
import { listUserTags } from './iam-tags.ts';
import type { ActionContext, ActionHandler } from './handler.ts';
import { decodeMarker, encodeMarker } from './marker.ts';
import type { MfaDevice, User } from './model.ts';
import { intParam, PATTERNS, validate } from './params.ts';
import { selfManagement } from './policy-documents.ts';
import { authorize, callerUser, userTarget } from './policy.ts';
import { otpauthUri, qrCodePng } from './qr.ts';
import { consumeConsecutiveCodes, newSeed } from './totp.ts';

const USER_NAME = { ...PATTERNS.name, minLength: 1, maxLength: 128 };
const SERIAL = { ...PATTERNS.serial, minLength: 9, maxLength: 256 };
const AUTH_CODE = { ...PATTERNS.someDigits, required: true, minLength: 6, maxLength: 6 };

/** UserName when given; otherwise the calling user, as AWS infers it for IAM-user credentials. */
function targetUserName(context: ActionContext): string {
  const given = context.params.get('UserName');
  if (given !== undefined) return given;
  const caller = callerUser(context.identity);
  if (!caller) throw errors.validation('Must specify userName when calling with non-User credentials');
  return caller.name;
}

/**
 * Authorize an action on a user (with any request condition keys it sets), then require that the
 * user exists (AWS checks in that order).
 */
export async function actOnUser(context: ActionContext, action: string, name: string, conditionKeys: Record<string, string> = {}): Promise<User> {
  await authorize(context.account, context.identity, action, { ...userTarget(context.account, name), context: conditionKeys });
  return context.account.requireUser(name);
}

/** A User in CreateUser's, ListUsers' and ListVirtualMFADevices' answers. */
export function userResult(user: User): Record<string, string | Date> {
  return { Path: user.path, UserName: user.name, UserId: user.userId, Arn: user.arn, CreateDate: user.createDate };
}

const listMFADevices: ActionHandler = async (context) => {
  validate(context.params, {
    UserName: USER_NAME,
    MaxItems: { min: 1, max: 1000 },
    Marker: { pattern: /^[\u0020-\u00FF]+$/, patternText: '[\\u0020-\\u00FF]+', minLength: 1, maxLength: 320 },
  });
  const user = await actOnUser(context, 'iam:ListMFADevices', targetUserName(context));
  const devices = context.account.devicesOf(user.name);
  const maxItems = Math.min(intParam(context.params, 'MaxItems', 100), context.account.listPageSize ?? Infinity);
  const marker = context.params.get('Marker');
  const start = marker === undefined ? 0 : decodeMarker('ListMFADevices', marker);
  const page = devices.slice(start, start + maxItems);
  const truncated = start + maxItems < devices.length;
  return {
    IsTruncated: truncated,
    MFADevices: page.map((device) => ({ UserName: user.name, SerialNumber: device.serial, EnableDate: device.enableDate })),
    Marker: truncated ? encodeMarker('ListMFADevices', start + maxItems) : undefined,
  };
};

const deactivateMFADevice: ActionHandler = async (context) => {
  validate(context.params, { UserName: USER_NAME, SerialNumber: { ...SERIAL, required: true } });
  const user = await actOnUser(context, 'iam:DeactivateMFADevice', targetUserName(context));
  const serial = context.params.get('SerialNumber')!;
  const device = context.account.devices.get(serial);
  if (!device || device.userName !== user.name) throw errors.noSuchMfaDevice(serial);
  context.account.unassignDevice(device);
  return undefined;
};

function virtualDevice(context: ActionContext, serial: string): MfaDevice | undefined {
  const device = context.account.devices.get(serial);
  return device?.kind === 'virtual' ? device : undefined;
}

const deleteVirtualMFADevice: ActionHandler = async (context) => {
  validate(context.params, { SerialNumber: { ...SERIAL, required: true } });
  const { account, identity } = context;
  const serial = context.params.get('SerialNumber')!;
  const device = virtualDevice(context, serial);
  // A device never enabled belongs to whoever may create devices: the caller.
  const ownerName = device?.userName ?? device?.lastUserName;
  const owner = ownerName === undefined ? callerUser(identity) : account.user(ownerName);
  // Evaluated against the device's own ARN (arn:aws:iam::ACCOUNT:mfa/PATH/NAME): the user's path and tags play no part.
  const arn = serial.startsWith('arn:') ? serial : `arn:aws:iam::${account.accountId}:mfa/${serial}`;
  await authorize(account, identity, 'iam:DeleteVirtualMFADevice', { owner, arn, resource: serial, tags: undefined });
  if (!device) throw errors.noSuchVirtualMfaDevice(serial);
  if (device.userName) throw errors.deleteConflict();
  // IAM is eventually consistent: shortly after a deactivation the device still reads as in use.
  const since = device.deactivatedAt === undefined ? Infinity : account.clock.now() - device.deactivatedAt;
  if (since < account.consistencyWindowMs) throw errors.deleteConflict();
  account.devices.delete(serial);
  return undefined;
};

const createVirtualMFADevice: ActionHandler = async (context) => {
  validate(context.params, {
    VirtualMFADeviceName: { ...PATTERNS.name, required: true, minLength: 1 },
    Path: { ...PATTERNS.path, minLength: 1, maxLength: 512 },
  });
  const { account, identity } = context;
  const name = context.params.get('VirtualMFADeviceName')!;
  const path = context.params.get('Path') ?? '/';
  const serial = `arn:aws:iam::${account.accountId}:mfa${path}${name}`;
  await authorize(account, identity, 'iam:CreateVirtualMFADevice', { owner: callerUser(identity), arn: serial, resource: serial, tags: undefined });
  const device = account.createVirtualDevice(name, path, account.remember(newSeed()));
  const seed = device.seed ?? '';
  // Query-protocol blobs are base64: the SDK hands back the base32 text and the PNG as bytes.
  return {
    VirtualMFADevice: {
      SerialNumber: device.serial,
      Base32StringSeed: Buffer.from(seed, 'ascii'),
      QRCodePNG: await qrCodePng(otpauthUri(name, account.accountId, seed)),
    },
  };
};

const enableMFADevice: ActionHandler = async (context) => {
  validate(context.params, {
    UserName: { ...USER_NAME, required: true },
    SerialNumber: { ...SERIAL, required: true },
    AuthenticationCode1: AUTH_CODE,
    AuthenticationCode2: AUTH_CODE,
  });
  const { account, params } = context;
  const user = await actOnUser(context, 'iam:EnableMFADevice', params.get('UserName')!);
  const serial = params.get('SerialNumber')!;
  const device = account.devices.get(serial);
  if (!device) throw errors.noSuchVirtualMfaDevice(serial);
  if (device.userName) throw errors.mfaDeviceInUse();
  if (!consumeConsecutiveCodes(account, device, params.get('AuthenticationCode1')!, params.get('AuthenticationCode2')!)) {
    throw errors.invalidAuthenticationCode();
  }
  account.assignDevice(device, user.name);
  return undefined;
};

const createUser: ActionHandler = async (context) => {
  validate(context.params, {
    UserName: { ...USER_NAME, required: true, maxLength: 64 },
    Path: { ...PATTERNS.path, minLength: 1, maxLength: 512 },
  });
  const name = context.params.get('UserName')!;
  const path = context.params.get('Path') ?? '/';
  const arn = `arn:aws:iam::${context.account.accountId}:user${path}${name}`;
  await authorize(context.account, context.identity, 'iam:CreateUser', { owner: undefined, arn, resource: `user ${name}`, tags: undefined });
  const user = context.account.createUser(name, { path, policies: [selfManagement(arn, context.account.accountId)] });
  return { User: userResult(user) };
};

// The element order of the IAM API reference's GetUser example. The name is the one IAM stores,
// whatever case the request used: user names are unique case-insensitively.
const getUser: ActionHandler = async (context) => {
  validate(context.params, { UserName: USER_NAME });
  const user = await actOnUser(context, 'iam:GetUser', targetUserName(context));
  return { User: { UserId: user.userId, Path: user.path, UserName: user.name, Arn: user.arn, CreateDate: user.createDate } };
};

const createAccessKey: ActionHandler = async (context) => {
  validate(context.params, { UserName: USER_NAME });
  const user = await actOnUser(context, 'iam:CreateAccessKey', targetUserName(context));
  const key = context.account.createAccessKey(user.name);
  return {
    AccessKey: {
      UserName: user.name,
      AccessKeyId: key.accessKeyId,
      Status: 'Active',
      SecretAccessKey: key.secretAccessKey,
      CreateDate: key.createDate,
    },
  };
};

export const iamActions: Record<string, ActionHandler> = {
  ListMFADevices: listMFADevices,
  DeactivateMFADevice: deactivateMFADevice,
  DeleteVirtualMFADevice: deleteVirtualMFADevice,
  CreateVirtualMFADevice: createVirtualMFADevice,
  EnableMFADevice: enableMFADevice,
  CreateUser: createUser,
  GetUser: getUser,
  CreateAccessKey: createAccessKey,
  ListUserTags: listUserTags,
};
