// Shared test world for run(): AWS mocks, the action's inputs, a captured runner (stdout, output and
// summary files), and AWS errors built the way the SDK builds them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import {
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  GetUserCommand,
  type GetUserCommandInput,
  IAMClient,
  IAMServiceException,
  ListMFADevicesCommand,
  type ListMFADevicesCommandInput,
  type ListMFADevicesCommandOutput,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';

// ---------------------------------------------------------------------------------------------
// Who is who

export const ACCOUNT = '123456789012';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/mfa-deactivator`;
export const ASSUMED_ROLE_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/mfa-deactivator/gh-run`;
/** The IAM user whose long-term keys the action may hold. */
export const KEY_OWNER = 'alice';
export const USER_KEYS = { accessKeyId: 'AKIAUSERKEYS0000EXAMPLE', secretAccessKey: 'uSeRsEcReT/kEyExAmPlE+000000000000000000' };
/** The target user's unique id, as GetUser answers it. */
export const USER_ID = 'AIDAEXAMPLEUSERID0001';
/** A current code; chosen so that it is a substring of nothing else in the run. */
export const MFA_CODE = '907341';
export const OIDC_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.github-oidc-token-example.c2lnbmF0dXJl';
export const ROLE_SESSION = {
  AccessKeyId: 'ASIAROLESESSION0EXAMPLE',
  SecretAccessKey: 'rOlEsEsSiOnSeCrEt/ExAmPlE+00000000000000',
  SessionToken: 'FwoGZXIvYXdzEROLE//session-token-example',
};
export const MFA_SESSION = {
  AccessKeyId: 'ASIAMFASESSION00EXAMPLE',
  SecretAccessKey: 'mFaSeSsIoNsEcReT/ExAmPlE+000000000000000',
  SessionToken: 'FwoGZXIvYXdzEMFA//session-token-example',
};

/** Names for the access key ids a call may be signed with, so assertions read as who acted. */
const SIGNERS: Record<string, string> = {
  [USER_KEYS.accessKeyId]: 'user-keys',
  [ROLE_SESSION.AccessKeyId]: 'role',
  [MFA_SESSION.AccessKeyId]: 'mfa-session',
};

// Devices. Their names never contain a user name, so the (redacted) summary still shows them.
export const virtual = (name: string): string => `arn:aws:iam::${ACCOUNT}:mfa/${name}`;
export const fido = (name: string): string => `arn:aws:iam::${ACCOUNT}:u2f/user/${KEY_OWNER}/${name}`;
export const PHONE = virtual('phone-1');
export const TABLET = virtual('tablet-2');
export const TOKEN = 'GAHT12345678';
export const KEY = fido('key1');

// ---------------------------------------------------------------------------------------------
// Inputs: the runner passes `with:` values as INPUT_<NAME> (upper-cased, hyphens kept).

export type Inputs = Record<string, string>;

export const asUser: Inputs = { 'aws-access-key-id': USER_KEYS.accessKeyId, 'aws-secret-access-key': USER_KEYS.secretAccessKey };
export const asRole: Inputs = { 'role-to-assume': ROLE_ARN };

export function givenInputs(inputs: Inputs): void {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

// ---------------------------------------------------------------------------------------------
// AWS: the clients' classes are mocked, so the action's own awsConnector builds real clients
// (with their real credentials and retry settings) whose send() is stubbed.

export const iam = mockClient(IAMClient);
export const sts = mockClient(STSClient);

/** stdout index at which each credential came into existence (see maskOrder). */
export const bornAt = new Map<string, number>();

/**
 * The usual answers: STS knows the key owner and hands out the role and MFA sessions; IAM
 * deactivates and deletes whatever it is asked to. Tests override what they need.
 */
export function givenAws(runner: Runner): void {
  iam.reset();
  sts.reset();
  bornAt.clear();
  listCalls.length = 0;
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/${KEY_OWNER}`, UserId: 'AIDAKEYOWNER' });
  sts.on(AssumeRoleWithWebIdentityCommand).callsFake(() => {
    for (const secret of Object.values(ROLE_SESSION)) bornAt.set(secret, runner.lines().length);
    return {
      Credentials: { ...ROLE_SESSION, Expiration: new Date('2030-01-01T00:15:00Z') },
      AssumedRoleUser: { Arn: ASSUMED_ROLE_ARN, AssumedRoleId: 'AROA:gh-run' },
    };
  });
  sts.on(GetSessionTokenCommand).callsFake(() => {
    for (const secret of Object.values(MFA_SESSION)) bornAt.set(secret, runner.lines().length);
    return { Credentials: { ...MFA_SESSION, Expiration: new Date('2030-01-01T00:15:00Z') } };
  });
  iam.on(DeactivateMFADeviceCommand).resolves({});
  iam.on(DeleteVirtualMFADeviceCommand).resolves({});
  // IAM answers with the name as it stores it: here, the lower-cased form of whatever was asked.
  iam.on(GetUserCommand).callsFake((input: GetUserCommandInput) => {
    const name = (input.UserName ?? KEY_OWNER).toLowerCase();
    return { User: { UserName: name, UserId: USER_ID, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, CreateDate: new Date('2024-01-01T00:00:00Z') } };
  });
  givenDevices({});
}

/** Whose devices ListMFADevices returns. */
export const OWN = '(no UserName: the caller itself)';

/**
 * Every ListMFADevices call as it was sent. The SDK's paginator reuses one input object and sets
 * its Marker for the next page, so the inputs commandCalls() keeps all show the last Marker.
 */
export const listCalls: Array<{ input: ListMFADevicesCommandInput; as: string }> = [];

/**
 * ListMFADevices answers, page by page, keyed by UserName (OWN for a call without one). A user
 * with several pages gets IsTruncated and a Marker naming the next page.
 */
export function givenDevices(lists: Record<string, string[][]>): void {
  iam.on(ListMFADevicesCommand).callsFake(async (input: ListMFADevicesCommandInput, getClient: () => IAMClient): Promise<ListMFADevicesCommandOutput> => {
    const call = { input: { ...input } };
    listCalls.push(Object.assign(call, { as: await signerOf(getClient()) }));
    const pages = lists[input.UserName ?? OWN] ?? [[]];
    const index = input.Marker === undefined ? 0 : Number(input.Marker.replace('page-', '')) - 1;
    const next = index + 1 < pages.length ? `page-${index + 2}` : undefined;
    return devicesPage(pages[index] ?? [], next);
  });
}

export function devicesPage(serials: readonly string[], marker?: string): ListMFADevicesCommandOutput {
  return {
    $metadata: {},
    MFADevices: serials.map((SerialNumber) => ({ UserName: 'ignored', SerialNumber, EnableDate: new Date('2024-05-01T12:00:00Z') })),
    IsTruncated: marker !== undefined,
    ...(marker !== undefined && { Marker: marker }),
  };
}

/** IAM refuses DeactivateMFADevice unless it is signed with the MFA session, as AWS does for self-service. */
export function givenMfaRequiredForDeactivation(): void {
  iam.on(DeactivateMFADeviceCommand).callsFake(async (_input: unknown, getClient: () => IAMClient) => {
    const client = getClient();
    const { accessKeyId } = await client.config.credentials();
    if (accessKeyId !== MFA_SESSION.AccessKeyId) throw mfaRequired();
    return {};
  });
}

async function signerOf(client: IAMClient | STSClient): Promise<string> {
  const { accessKeyId } = await client.config.credentials();
  return SIGNERS[accessKeyId] ?? accessKeyId;
}

/** Each call's input, and who signed it ('user-keys', 'role', 'mfa-session'). */
export async function sent<T>(calls: ReadonlyArray<{ args: readonly [{ input: T }]; thisValue: unknown }>): Promise<Array<{ input: T; as: string }>> {
  return Promise.all(calls.map(async ({ args: [command], thisValue }) => ({ input: command.input, as: await signerOf(thisValue as IAMClient | STSClient) })));
}

/** Inputs only: for unsigned calls (AssumeRoleWithWebIdentity) whose client has no credentials. */
export function inputsOf<T>(calls: ReadonlyArray<{ args: readonly [{ input: T }] }>): T[] {
  return calls.map(({ args: [command] }) => command.input);
}

/** Every IAM call in order, as "Command serial", to check ordering. */
export function iamTimeline(): string[] {
  return iam.calls().map(({ args: [command] }) => {
    const input = command.input as { SerialNumber?: string; UserName?: string };
    return `${command.constructor.name.replace(/Command$/, '')} ${input.SerialNumber ?? input.UserName ?? '(own)'}`;
  });
}

// ---------------------------------------------------------------------------------------------
// AWS errors, as the SDK deserializes them. Messages are AWS's own (DESIGN.md section 1).

const forbidden = (message: string) => ({ name: 'AccessDenied', $fault: 'client' as const, message, $metadata: { httpStatusCode: 403 } });

export const mfaRequired = (): IAMServiceException =>
  new IAMServiceException(forbidden('To complete this action, please ensure that you are authenticated with an MFA device that is enabled for this user.'));

export const notAuthorized = (): IAMServiceException =>
  new IAMServiceException(
    forbidden(
      `User: ${ASSUMED_ROLE_ARN} is not authorized to perform: iam:DeactivateMFADevice on resource: user bob because no identity-based policy allows the iam:DeactivateMFADevice action`,
    ),
  );

export const invalidCode = (): STSServiceException =>
  new STSServiceException(forbidden('MultiFactorAuthentication failed with invalid MFA one time pass code. '));

export const noSuchEntity = (serial: string): NoSuchEntityException =>
  new NoSuchEntityException({ message: `MFA Device with serial number ${serial} does not exist.`, $metadata: { httpStatusCode: 404 } });

export const stsServiceFailure = (): STSServiceException =>
  new STSServiceException({ name: 'ServiceFailure', $fault: 'server', message: 'An internal error occurred.', $metadata: { httpStatusCode: 500 } });

/** What the SDK throws when a request's response never arrives. */
export function networkError(name: string, code?: string): Error {
  const error = new Error(code ? `read ${code}` : 'Connection timed out after 3000 ms');
  error.name = name;
  if (code) Object.assign(error, { code });
  return error;
}

// ---------------------------------------------------------------------------------------------
// The runner around the action: file commands in temp files, stdout captured line by line.

export interface Runner {
  /** Every line written to stdout, in order. */
  lines(): string[];
  /** Step outputs as written to GITHUB_OUTPUT. */
  outputs(): Record<string, string>;
  summary(): string;
  file(name: 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY' | 'GITHUB_ENV' | 'GITHUB_STATE'): string;
  /** The one setFailed message, or undefined when the step succeeded. */
  failure(): string | undefined;
  restore(): void;
}

const FILES = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE'] as const;
// One directory per test file, emptied before each test: core.summary remembers the first
// GITHUB_STEP_SUMMARY path it sees, so the path must not change between tests.
let runnerDir: string | undefined;

export function removeRunnerFiles(): void {
  if (runnerDir !== undefined) rmSync(runnerDir, { recursive: true, force: true });
  runnerDir = undefined;
}

export function startRunner(): Runner {
  const savedEnv = { ...process.env };
  const savedExitCode = process.exitCode;
  // A clean slate: no inherited inputs, runner files or AWS settings.
  for (const name of Object.keys(process.env)) if (/^(INPUT_|GITHUB_|AWS_|ACTIONS_)/.test(name)) delete process.env[name];
  runnerDir ??= mkdtempSync(join(tmpdir(), 'run-test-'));
  const dir = runnerDir;
  for (const name of FILES) {
    writeFileSync(join(dir, name), '');
    process.env[name] = join(dir, name);
  }
  core.summary.emptyBuffer();
  vi.clearAllMocks();

  let written = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });

  const file = (name: (typeof FILES)[number]): string => readFileSync(join(dir, name), 'utf8');
  return {
    lines: () => written.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1),
    outputs: () => parseOutputs(file('GITHUB_OUTPUT')),
    summary: () => file('GITHUB_STEP_SUMMARY'),
    file,
    failure: () => {
      const calls = vi.mocked(core.setFailed).mock.calls;
      if (calls.length > 1) throw new Error(`setFailed called ${calls.length} times`);
      const message = calls[0]?.[0];
      return message === undefined ? undefined : String(message);
    },
    restore: () => {
      stdout.mockRestore();
      for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
      Object.assign(process.env, savedEnv);
      process.exitCode = savedExitCode;
    },
  };
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^(.+?)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)) {
    const [, name, , value] = match;
    if (name !== undefined && value !== undefined) outputs[name] = value;
  }
  return outputs;
}

/** The summary table row for one device (its serial is in a <code> cell). */
export function summaryRow(summary: string, serial: string): string {
  const row = summary.match(/<tr>[\s\S]*?<\/tr>/g)?.find((candidate) => candidate.includes(`<code>${serial}</code>`));
  if (row === undefined) throw new Error(`no summary row for ${serial} in:\n${summary}`);
  return row;
}

/**
 * Where a secret's `::add-mask::` line is, and where the first other line written once the secret
 * existed is (`born`: how many lines stdout held then; 0 for inputs, which exist from the start).
 */
export function maskOrder(lines: readonly string[], secret: string, born: number): { mask: number; firstOther: number } {
  const firstOther = lines.findIndex((line, i) => i >= born && !line.startsWith('::add-mask::'));
  return { mask: lines.indexOf(`::add-mask::${secret}`), firstOther: firstOther === -1 ? lines.length : firstOther };
}
