// What the contract test sends: for every operation the stand-in serves, one call that succeeds
// (OPERATIONS), the refusals every call can meet (genericCases: throttling, a 500, each named fault
// the model declares for the operation, bad keys, expired credentials), and each refusal of the
// operation's own (contract-iam-cases.ts, contract-sts-cases.ts).
import * as iam from '@aws-sdk/client-iam';
import * as sts from '@aws-sdk/client-sts';
import type { FaultKind } from '../../standin/index.ts';
import type { Keys } from '../../standin/sdk.ts';
import type { Answer, World } from './contract-world.ts';

export interface Case {
  op: string;
  /** 'ok', or the error code the answer must carry. */
  expect: string;
  why: string;
  send(w: World): Promise<Answer>;
}

interface Operation {
  service: 'iam' | 'sts';
  /** Who makes the call that succeeds; undefined: unsigned. */
  caller(w: World): Keys | undefined;
  /** That call's command (valid in a fresh world). */
  command(w: World): object | Promise<object>;
}

function enableCodes(w: World, userName: string): iam.EnableMFADeviceCommandInput {
  const { serial, seed } = w.standin.addVirtualMfa(userName, `${userName}-new`, { assigned: false });
  const now = w.standin.clock.now();
  return { UserName: userName, SerialNumber: serial, AuthenticationCode1: w.standin.totp(seed, now - 30_000), AuthenticationCode2: w.standin.totp(seed, now) };
}

export const OPERATIONS: Record<string, Operation> = {
  ListMFADevices: { service: 'iam', caller: (w) => w.admin, command: () => new iam.ListMFADevicesCommand({ UserName: 'alice' }) },
  DeactivateMFADevice: {
    service: 'iam',
    caller: (w) => w.admin,
    command: (w) => new iam.DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: w.alice.virtual.serial }),
  },
  DeleteVirtualMFADevice: {
    service: 'iam',
    caller: (w) => w.admin,
    command: (w) => new iam.DeleteVirtualMFADeviceCommand({ SerialNumber: w.standin.addVirtualMfa('alice', 'alice-spare', { assigned: false }).serial }),
  },
  CreateVirtualMFADevice: {
    service: 'iam',
    caller: (w) => w.admin,
    command: () => new iam.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'carol-phone' }),
  },
  EnableMFADevice: { service: 'iam', caller: (w) => w.admin, command: (w) => new iam.EnableMFADeviceCommand(enableCodes(w, 'alice')) },
  CreateUser: { service: 'iam', caller: (w) => w.admin, command: () => new iam.CreateUserCommand({ UserName: 'carol', Path: '/people/' }) },
  GetUser: { service: 'iam', caller: (w) => w.admin, command: () => new iam.GetUserCommand({ UserName: 'alice' }) },
  CreateAccessKey: { service: 'iam', caller: (w) => w.admin, command: () => new iam.CreateAccessKeyCommand({ UserName: 'alice' }) },
  ListUserTags: { service: 'iam', caller: (w) => w.admin, command: () => new iam.ListUserTagsCommand({ UserName: 'alice' }) },
  GetCallerIdentity: { service: 'sts', caller: (w) => w.bob, command: () => new sts.GetCallerIdentityCommand({}) },
  GetSessionToken: {
    service: 'sts',
    caller: (w) => w.bob,
    command: (w) => new sts.GetSessionTokenCommand({ SerialNumber: w.phone.serial, TokenCode: w.standin.totp(w.phone.seed), DurationSeconds: 900 }),
  },
  AssumeRoleWithWebIdentity: {
    service: 'sts',
    caller: () => undefined,
    command: async (w) =>
      new sts.AssumeRoleWithWebIdentityCommand({ RoleArn: w.roleArn, RoleSessionName: 'gh-octocat-1-1', WebIdentityToken: await w.standin.oidc.issueToken() }),
  },
};

/** Send operation `op`'s successful call, as `keys` when given (else as its usual caller). */
export async function sendAs(w: World, op: string, keys?: Keys, options: { systemClockOffset?: number } = {}): Promise<Answer> {
  const spec = OPERATIONS[op]!;
  const who = keys ?? spec.caller(w);
  const client = spec.service === 'iam' ? w.iam(who!, options) : w.sts(who, options);
  return w.send(client, await spec.command(w));
}

/** The named refusal faults and the code each answers with. */
export const REFUSAL_FAULTS: Partial<Record<FaultKind, string>> = {
  'temporarily-unmodifiable': 'EntityTemporarilyUnmodifiable',
  'concurrent-modification': 'ConcurrentModification',
  'idp-key-unavailable': 'InvalidIdentityToken',
  'idp-communication-error': 'IDPCommunicationError',
  'expired-web-identity-token': 'ExpiredTokenException',
  'region-disabled': 'RegionDisabledException',
};

function withFault(op: string, kind: FaultKind) {
  return (w: World): Promise<Answer> => {
    w.standin.faults.inject({ action: op, kind });
    return sendAs(w, op);
  };
}

/** For every operation: success, throttling, a 500, each declared named fault, bad keys, expired credentials. */
export function genericCases(declaredCodes: (op: string) => string[]): Case[] {
  return Object.entries(OPERATIONS).flatMap(([op, spec]): Case[] => {
    const cases: Case[] = [
      { op, expect: 'ok', why: 'its usual call', send: (w) => sendAs(w, op) },
      { op, expect: 'Throttling', why: 'a throttle fault', send: withFault(op, 'throttle') },
      { op, expect: spec.service === 'iam' ? 'ServiceFailure' : 'InternalFailure', why: 'a service-failure fault', send: withFault(op, 'service-failure') },
    ];
    for (const [kind, code] of Object.entries(REFUSAL_FAULTS) as [FaultKind, string][]) {
      if (declaredCodes(op).includes(code)) cases.push({ op, expect: code, why: `the ${kind} fault`, send: withFault(op, kind) });
    }
    if (spec.service === 'sts' && op === 'AssumeRoleWithWebIdentity') return cases;
    return [
      ...cases,
      {
        op,
        expect: 'InvalidClientTokenId',
        why: 'an unknown access key',
        send: (w) => sendAs(w, op, { accessKeyId: 'AKIAUNKNOWNUNKNOWN12', secretAccessKey: 'x' }),
      },
      { op, expect: 'SignatureDoesNotMatch', why: 'the wrong secret', send: (w) => sendAs(w, op, { ...w.admin, secretAccessKey: 'not-the-secret' }) },
      {
        op,
        expect: 'ExpiredToken',
        why: 'role session credentials past their expiry',
        send: async (w) => {
          const keys = await w.roleSession();
          w.standin.clock.advance(3601_000);
          return sendAs(w, op, keys, { systemClockOffset: w.standin.clock.offsetMs });
        },
      },
    ];
  });
}

/** Requests no SDK sends, each refused by the front end before any operation runs. */
export const FRONT_END_CASES: Case[] = [
  {
    op: 'GetUser',
    expect: 'MissingAuthenticationToken',
    why: 'no Authorization header',
    send: (w) => w.unsigned('Action=GetUser&Version=2010-05-08'),
  },
  {
    op: 'GetUser',
    expect: 'IncompleteSignature',
    why: 'an Authorization header without its parts',
    send: (w) => w.unsigned('Action=GetUser&Version=2010-05-08', { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/x' }),
  },
  {
    op: 'ListMFADevices',
    expect: 'MalformedInput',
    why: 'a MaxItems that is no integer',
    send: (w) => w.signed('iam', w.admin, 'Action=ListMFADevices&Version=2010-05-08&MaxItems=ten'),
  },
  {
    op: 'GetCallerIdentity',
    expect: 'InvalidAction',
    why: 'an Action STS does not have',
    send: (w) => w.signed('sts', w.bob, 'Action=GetCallerIdentities&Version=2011-06-15'),
  },
];
