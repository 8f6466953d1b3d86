// The whole run(), from inputs to outputs and summary, with the AWS clients' classes mocked: the
// action's own awsConnector builds every client, so credentials and retry settings are real.
import * as core from '@actions/core';
import {
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  GetUserCommand,
  IAMServiceException,
  LimitExceededException,
  ListMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, GetSessionTokenCommand, type STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsConnector } from '../../src/aws/clients.ts';
import { run } from '../../src/main.ts';
import {
  ASSUMED_ROLE_ARN,
  asRole,
  asUser,
  bornAt,
  givenAws,
  givenDevices,
  givenInputs,
  givenMfaRequiredForDeactivation,
  iam,
  iamTimeline,
  type Inputs,
  inputsOf,
  invalidCode,
  KEY,
  KEY_OWNER,
  listCalls,
  maskOrder,
  MFA_CODE,
  mfaRequired,
  MFA_SESSION,
  networkError,
  noSuchEntity,
  notAuthorized,
  OIDC_TOKEN,
  OWN,
  PHONE,
  removeRunnerFiles,
  ROLE_ARN,
  ROLE_SESSION,
  type Runner,
  sent,
  startRunner,
  sts,
  stsServiceFailure,
  summaryRow,
  TABLET,
  TOKEN,
  USER_ID,
  USER_KEYS,
  virtual,
} from './fixtures.ts';

// ESM namespaces cannot be spied on: wrap the functions under test in spies that call the real ones.
vi.mock('@actions/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@actions/core')>();
  return {
    ...actual,
    setFailed: vi.fn(actual.setFailed),
    setOutput: vi.fn(actual.setOutput),
    exportVariable: vi.fn(actual.exportVariable),
    saveState: vi.fn(actual.saveState),
  };
});

const getIdToken = vi.fn(async (_audience: string) => OIDC_TOKEN);
const runAction = (): Promise<void> => run({ connect: awsConnector, getIdToken });

let runner: Runner;
beforeEach(() => {
  runner = startRunner();
  givenAws(runner);
});
afterEach(() => runner.restore());
afterAll(removeRunnerFiles);

const json = (serials: readonly string[]): string => JSON.stringify(serials);
const awsCallCount = (): number => iam.calls().length + sts.calls().length;

describe('deactivating another user as an OIDC role', () => {
  it('deactivates every device, following ListMFADevices pages, as the role', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole });
    givenDevices({ bob: [[PHONE, TABLET], [TOKEN]] });

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(getIdToken).toHaveBeenCalledWith('sts.amazonaws.com');
    expect(inputsOf(sts.commandCalls(AssumeRoleWithWebIdentityCommand))).toEqual([
      expect.objectContaining({ RoleArn: ROLE_ARN, WebIdentityToken: OIDC_TOKEN, DurationSeconds: 900 }),
    ]);
    expect(listCalls).toEqual([
      { input: { UserName: 'bob' }, as: 'role' },
      { input: { UserName: 'bob', Marker: 'page-2' }, as: 'role' },
    ]);
    expect(await sent(iam.commandCalls(DeactivateMFADeviceCommand))).toEqual(
      [PHONE, TABLET, TOKEN].map((SerialNumber) => ({ input: { UserName: 'bob', SerialNumber }, as: 'role' })),
    );
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
    expect(runner.outputs()).toEqual({
      result: 'deactivated',
      'planned-devices': json([PHONE, TABLET, TOKEN]),
      'deactivated-devices': json([PHONE, TABLET, TOKEN]),
      'deleted-devices': '[]',
      'remaining-devices': '[]',
      'step-up-used': 'false',
      approvals: '[]',
      'pull-request': '',
    });
    expect(runner.summary()).toContain('IAM MFA: deactivated 3 devices');
    expect(runner.summary()).toContain(`<code>${ASSUMED_ROLE_ARN}</code> (GitHub OIDC role)`);
  });

  it('fails naming `id-token: write` when the job cannot request an OIDC token', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole });
    getIdToken.mockRejectedValueOnce(new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable'));

    await runAction();

    expect(runner.failure()).toContain('permissions: id-token: write');
    expect(awsCallCount()).toBe(0);
    expect(runner.outputs().result).toBe('failed');
  });
});

describe('choosing devices', () => {
  it('serial-number deactivates only that device', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole, 'serial-number': TOKEN });
    givenDevices({ bob: [[PHONE, TOKEN, TABLET]] });

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(inputsOf(iam.commandCalls(DeactivateMFADeviceCommand))).toEqual([{ UserName: 'bob', SerialNumber: TOKEN }]);
    expect(runner.outputs()).toMatchObject({ result: 'deactivated', 'planned-devices': json([TOKEN]), 'deactivated-devices': json([TOKEN]) });
  });

  it('a serial-number the user does not have fails, naming the input, and deactivates nothing', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole, 'serial-number': virtual('not-bobs') });
    givenDevices({ bob: [[PHONE, TOKEN]] });

    await runAction();

    expect(runner.failure()).toMatch(/Input serial-number names a device this user does not have \(the user has 2 devices\)/);
    expect(iam.commandCalls(DeactivateMFADeviceCommand)).toHaveLength(0);
    expect(runner.outputs()).toMatchObject({ result: 'failed', 'deactivated-devices': '[]' });
  });

  it('a user with no devices: nothing-to-do, success', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole });
    givenDevices({ bob: [[]] });

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(iam.commandCalls(ListMFADevicesCommand)).toHaveLength(1);
    expect(iam.commandCalls(DeactivateMFADeviceCommand)).toHaveLength(0);
    expect(runner.outputs()).toMatchObject({ result: 'nothing-to-do', 'planned-devices': '[]', 'deactivated-devices': '[]' });
    expect(runner.summary()).toContain('IAM MFA: nothing to deactivate');
  });

  it('dry-run deactivates nothing and reports the plan', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole, 'dry-run': 'true', 'delete-virtual-devices': 'true' });
    givenDevices({ bob: [[PHONE, TOKEN]] });

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(iamTimeline()).toEqual(['GetUser bob', 'ListMFADevices bob']);
    expect(runner.outputs()).toMatchObject({
      result: 'dry-run',
      'planned-devices': json([PHONE, TOKEN]),
      'deactivated-devices': '[]',
      'deleted-devices': '[]',
      'remaining-devices': json([PHONE, TOKEN]),
    });
    const summary = runner.summary();
    expect(summary).toContain('IAM MFA dry run: 2 devices would be deactivated');
    for (const serial of [PHONE, TOKEN]) expect(summaryRow(summary, serial)).toContain('would be deactivated (dry run)');
  });
});

describe('stepping up with an MFA code when AWS demands it', () => {
  const selfService: Inputs = { 'user-name': KEY_OWNER, ...asUser, 'mfa-token': MFA_CODE };

  it('user keys on their own user: steps up with a device from the one listing, gets one MFA session and retries the rest with it', async () => {
    givenInputs({ ...selfService, 'step-up-serial-number': TOKEN });
    givenDevices({ [KEY_OWNER]: [[PHONE, TOKEN]], [OWN]: [[PHONE, TOKEN]] });
    givenMfaRequiredForDeactivation();

    await runAction();

    expect(runner.failure()).toBeUndefined();
    // The target is the caller: its listing is the caller's own devices, so they are not listed again.
    expect(listCalls).toEqual([{ input: { UserName: KEY_OWNER }, as: 'user-keys' }]);
    expect(await sent(sts.commandCalls(GetSessionTokenCommand))).toEqual([
      { input: { SerialNumber: TOKEN, TokenCode: MFA_CODE, DurationSeconds: 900 }, as: 'user-keys' },
    ]);
    expect(await sent(iam.commandCalls(DeactivateMFADeviceCommand))).toEqual([
      { input: { UserName: KEY_OWNER, SerialNumber: PHONE }, as: 'user-keys' }, // refused: MFA required
      { input: { UserName: KEY_OWNER, SerialNumber: PHONE }, as: 'mfa-session' },
      { input: { UserName: KEY_OWNER, SerialNumber: TOKEN }, as: 'mfa-session' },
    ]);
    expect(runner.outputs()).toMatchObject({ result: 'deactivated', 'deactivated-devices': json([PHONE, TOKEN]), 'step-up-used': 'true' });
    expect(runner.summary()).toContain(`used: <code>arn:aws:iam::123456789012:user/***</code> with <code>${TOKEN}</code>`);
  });

  it('without mfa-token: fails saying a code is needed, and tries nothing else', async () => {
    givenInputs({ 'user-name': KEY_OWNER, ...asUser });
    givenDevices({ [KEY_OWNER]: [[PHONE, TOKEN]], [OWN]: [[PHONE, TOKEN]] });
    givenMfaRequiredForDeactivation();

    await runAction();

    expect(runner.failure()).toMatch(/requires an MFA-authenticated session.*six-digit code .* in mfa-token/);
    expect(inputsOf(iam.commandCalls(DeactivateMFADeviceCommand))).toEqual([{ UserName: KEY_OWNER, SerialNumber: PHONE }]);
    expect(listCalls.map((call) => call.input)).toEqual([{ UserName: KEY_OWNER }]);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
    expect(runner.outputs()).toMatchObject({ result: 'failed', 'remaining-devices': json([PHONE, TOKEN]), 'step-up-used': 'false' });
  });

  it('as a role without user keys: explains a role cannot step up and the two fixes; never calls GetSessionToken', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole, 'mfa-token': MFA_CODE });
    givenDevices({ bob: [[PHONE]] });
    givenMfaRequiredForDeactivation();

    await runAction();

    const failure = runner.failure();
    expect(failure).toContain(`acting as ${ASSUMED_ROLE_ARN}, which cannot step up`);
    expect(failure).toMatch(/\(1\) let the role deactivate MFA devices without MFA \(drop the aws:MultiFactorAuthPresent/);
    expect(failure).toMatch(/\(2\) act as the IAM user: pass its own keys in aws-access-key-id and aws-secret-access-key/);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
    expect(failure).toContain("(AWS's refusal: AccessDenied: ");
    expect(summaryRow(runner.summary(), PHONE)).toContain('not deactivated: AWS requires an MFA-authenticated session, and stepping up failed (see above).');
    expect(runner.lines().filter((line) => line.includes('stepping up'))).toEqual([]);
    expect(iam.commandCalls(DeactivateMFADeviceCommand)).toHaveLength(1);
  });

  it('as a role with user keys too: steps up with the user keys and retries with the MFA session', async () => {
    givenInputs({ ...selfService, ...asRole });
    givenDevices({ [KEY_OWNER]: [[PHONE, KEY]], [OWN]: [[PHONE, KEY]] });
    givenMfaRequiredForDeactivation();

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(listCalls).toEqual([
      { input: { UserName: KEY_OWNER }, as: 'role' },
      { input: {}, as: 'user-keys' },
    ]);
    // The FIDO key cannot step up: the one TOTP device is chosen without step-up-serial-number.
    expect(await sent(sts.commandCalls(GetSessionTokenCommand))).toEqual([
      { input: { SerialNumber: PHONE, TokenCode: MFA_CODE, DurationSeconds: 900 }, as: 'user-keys' },
    ]);
    expect(await sent(iam.commandCalls(DeactivateMFADeviceCommand))).toEqual([
      { input: { UserName: KEY_OWNER, SerialNumber: PHONE }, as: 'role' },
      { input: { UserName: KEY_OWNER, SerialNumber: PHONE }, as: 'mfa-session' },
      { input: { UserName: KEY_OWNER, SerialNumber: KEY }, as: 'mfa-session' },
    ]);
    expect(runner.outputs()).toMatchObject({ result: 'deactivated', 'step-up-used': 'true' });
    // The auditor sees that the role was refused and the user's own MFA session made the change.
    expect(await sent(sts.commandCalls(GetCallerIdentityCommand))).toEqual([{ input: {}, as: 'user-keys' }]);
    expect(runner.summary()).toContain(`<code>${ASSUMED_ROLE_ARN}</code> (GitHub OIDC role)`);
    expect(runner.summary()).toContain(`used: <code>arn:aws:iam::123456789012:user/***</code> with <code>${PHONE}</code>`);
  });

  it.each([
    { refusal: 'the code is invalid or expired', error: invalidCode(), message: /AWS rejected the MFA code.*dispatch the workflow again with a fresh code/ },
    {
      refusal: 'the response is lost (TimeoutError)',
      error: networkError('TimeoutError'),
      message: /GetSessionToken did not complete.*not retried.*dispatch the workflow again with a fresh code/,
    },
    {
      refusal: 'the connection resets (ECONNRESET)',
      error: networkError('Error', 'ECONNRESET'),
      message: /GetSessionToken did not complete.*not retried.*fresh code/,
    },
    { refusal: 'STS fails (500 ServiceFailure)', error: stsServiceFailure(), message: /GetSessionToken did not complete \(ServiceFailure: .*fresh code/ },
  ])('when $refusal: fails asking for a fresh code, having sent the code exactly once', async ({ error, message }) => {
    givenInputs({ ...selfService, 'step-up-serial-number': PHONE });
    givenDevices({ [KEY_OWNER]: [[PHONE, TOKEN]] });
    givenMfaRequiredForDeactivation();
    sts.on(GetSessionTokenCommand).rejects(error);

    await runAction();

    expect(runner.failure()).toMatch(message);
    const [stepUp, ...more] = sts.commandCalls(GetSessionTokenCommand);
    expect(more).toHaveLength(0);
    expect(stepUp?.args[0].input).toEqual({ SerialNumber: PHONE, TokenCode: MFA_CODE, DurationSeconds: 900 });
    // The stub replaces send(), so the SDK's retry never runs here: prove the client would not retry.
    expect(await stepUp?.thisValue.config.maxAttempts()).toBe(1);
    expect(iam.commandCalls(DeactivateMFADeviceCommand)).toHaveLength(1);
    expect(runner.outputs()).toMatchObject({
      result: 'failed',
      'deactivated-devices': '[]',
      'remaining-devices': json([PHONE, TOKEN]),
      'step-up-used': 'false',
    });
  });

  it.each([
    { caller: 'has only a FIDO key', own: [KEY], message: /only FIDO security keys/ },
    {
      caller: 'has several TOTP devices and no step-up-serial-number',
      own: [PHONE, TOKEN],
      message: /Input step-up-serial-number is needed: the acting IAM user has 2 TOTP devices/,
    },
  ])('when the caller $caller: fails before spending the code', async ({ own, message }) => {
    givenInputs({ ...selfService, ...asRole });
    givenDevices({ [KEY_OWNER]: [[PHONE]], [OWN]: [own] });
    givenMfaRequiredForDeactivation();

    await runAction();

    expect(runner.failure()).toMatch(message);
    expect(listCalls.map((call) => call.input)).toEqual([{ UserName: KEY_OWNER }, {}]);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  it.each([
    { caller: 'has only a FIDO key', devices: [KEY], message: /only FIDO security keys/ },
    {
      caller: 'has several TOTP devices and no step-up-serial-number',
      devices: [PHONE, TOKEN],
      message: /Input step-up-serial-number is needed: the acting IAM user has 2 TOTP devices/,
    },
  ])('on their own user, when the caller $caller: judged from the one listing, fails before spending the code', async ({ devices, message }) => {
    givenInputs(selfService);
    givenDevices({ [KEY_OWNER]: [devices], [OWN]: [[PHONE]] });
    givenMfaRequiredForDeactivation();

    await runAction();

    expect(runner.failure()).toMatch(message);
    expect(listCalls.map((call) => call.input)).toEqual([{ UserName: KEY_OWNER }]);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  it('on their own user, a device deactivated earlier in the run is no longer one to step up with', async () => {
    // Deactivation is allowed without MFA here; deleting a virtual device is not.
    givenInputs({ ...selfService, 'delete-virtual-devices': 'true' });
    givenDevices({ [KEY_OWNER]: [[PHONE, TOKEN]], [OWN]: [[PHONE, TOKEN]] });
    iam.on(DeleteVirtualMFADeviceCommand).rejects(mfaRequired());

    await runAction();

    // A fresh ListMFADevices would show no device left; the remembered listing agrees.
    expect(runner.failure()).toMatch(/The acting IAM user has no MFA device/);
    expect(listCalls.map((call) => call.input)).toEqual([{ UserName: KEY_OWNER }]);
    expect(inputsOf(iam.commandCalls(DeactivateMFADeviceCommand)).map((input) => input.SerialNumber)).toEqual([PHONE, TOKEN]);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });
});

describe('partial and repeated runs', () => {
  it('NoSuchEntity for a listed device counts as already done', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole });
    givenDevices({ bob: [[PHONE, TOKEN]] });
    iam.on(DeactivateMFADeviceCommand, { SerialNumber: PHONE }).rejects(noSuchEntity(PHONE));

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(inputsOf(iam.commandCalls(DeactivateMFADeviceCommand)).map((input) => input.SerialNumber)).toEqual([PHONE, TOKEN]);
    expect(runner.outputs()).toMatchObject({ result: 'deactivated', 'deactivated-devices': json([PHONE, TOKEN]), 'remaining-devices': '[]' });
    expect(summaryRow(runner.summary(), PHONE)).toContain('already removed by someone else');
  });

  it.each([
    {
      error: new LimitExceededException({ message: 'Cannot exceed quota for RequestRate: 5.', $metadata: { httpStatusCode: 409 } }),
      reported: 'LimitExceeded: Cannot exceed quota',
    },
    { error: notAuthorized(), reported: 'AccessDenied: User: ' },
  ])('device 2 of 3 fails with $reported…: reports exactly which devices are done and which are not', async ({ error, reported }) => {
    // A step-up could succeed here (keys, a code, a TOTP device): it must not be tried.
    givenInputs({ 'user-name': 'bob', ...asRole, 'mfa-token': MFA_CODE, ...asUser });
    givenDevices({ bob: [[PHONE, TOKEN, TABLET]], [OWN]: [[virtual('key-owner-phone')]] });
    iam.on(DeactivateMFADeviceCommand, { SerialNumber: TOKEN }).rejects(error);

    await runAction();

    expect(runner.failure()).toContain(reported);
    expect(inputsOf(iam.commandCalls(DeactivateMFADeviceCommand)).map((input) => input.SerialNumber)).toEqual([PHONE, TOKEN]);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0); // not an MFA refusal: no step-up
    expect(runner.outputs()).toEqual({
      result: 'failed',
      'planned-devices': json([PHONE, TOKEN, TABLET]),
      'deactivated-devices': json([PHONE]),
      'deleted-devices': '[]',
      'remaining-devices': json([TOKEN, TABLET]),
      'step-up-used': 'false',
      approvals: '[]',
      'pull-request': '',
    });
    const summary = runner.summary();
    expect(summary).toContain('IAM MFA deactivation failed');
    expect(summaryRow(summary, PHONE)).toMatch(/<td>deactivated<\/td>/);
    expect(summaryRow(summary, TOKEN)).toContain(`not deactivated: ${reported}`);
    expect(summaryRow(summary, TABLET)).toContain('not deactivated: not attempted, the run stopped first');
  });

  it('delete-virtual-devices deletes only virtual devices, each after its deactivation', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole, 'delete-virtual-devices': 'true' });
    givenDevices({ bob: [[PHONE, TOKEN, TABLET]] });

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(iamTimeline()).toEqual([
      'GetUser bob',
      'ListMFADevices bob',
      `DeactivateMFADevice ${PHONE}`,
      `DeactivateMFADevice ${TOKEN}`,
      `DeactivateMFADevice ${TABLET}`,
      `DeleteVirtualMFADevice ${PHONE}`,
      `DeleteVirtualMFADevice ${TABLET}`,
    ]);
    expect(await sent(iam.commandCalls(DeleteVirtualMFADeviceCommand))).toEqual([
      { input: { SerialNumber: PHONE }, as: 'role' },
      { input: { SerialNumber: TABLET }, as: 'role' },
    ]);
    expect(runner.outputs()).toMatchObject({ 'deactivated-devices': json([PHONE, TOKEN, TABLET]), 'deleted-devices': json([PHONE, TABLET]) });
  });
});

describe('refusing before any AWS call', () => {
  it('a user matching protected-users is never touched', async () => {
    givenInputs({ 'user-name': 'Break-Glass-Admin', ...asUser, ...asRole, 'protected-users': 'root-ops\nbreak-glass-*' });

    await runAction();

    expect(runner.failure()).toContain('Input user-name matches protected-users pattern "break-glass-*"');
    expect(iam.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
    expect(getIdToken).not.toHaveBeenCalled();
  });

  it.each([
    { input: 'mfa-token', inputs: { 'mfa-token': '12345' } },
    { input: 'user-name', inputs: { 'user-name': 'bob smith' } },
    { input: 'dry-run', inputs: { 'dry-run': 'yes' } },
    { input: 'role-duration-seconds', inputs: { ...asRole, 'role-duration-seconds': '60' } },
    { input: 'role-to-assume', inputs: { 'role-to-assume': 'arn:aws-cn:iam::123456789012:role/mfa-deactivator', 'aws-region': 'us-east-1' } },
    // Inputs the chosen path does not read are checked all the same.
    { input: 'role-duration-seconds', inputs: { 'role-duration-seconds': 'banana' } },
    { input: 'role-session-name', inputs: { 'role-session-name': 'a b' } },
    { input: 'audience', inputs: { audience: 'sts.amazonaws.com\nx' } },
    { input: 'aws-region', inputs: { 'aws-region': 'xx-fake-9' } },
    { input: 'aws-secret-access-key', inputs: { 'aws-secret-access-key': 'short' } },
    { input: 'protected-users', inputs: { 'protected-users': '- bob' } },
  ])('bad $input: fails naming it, with no AWS call', async ({ input, inputs }) => {
    givenInputs({ 'user-name': 'bob', ...asUser, ...inputs });

    await runAction();

    expect(runner.failure()).toMatch(new RegExp(`^deactivate-iam-mfa: Input ${input} `));
    expect(awsCallCount()).toBe(0);
    expect(getIdToken).not.toHaveBeenCalled();
    expect(runner.outputs().result).toBe('failed');
  });
});

describe('warnings for inputs that do nothing on the chosen path', () => {
  it('warns before any AWS call, naming the input and why', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole, 'mfa-token': MFA_CODE });
    givenDevices({ bob: [[PHONE]] });
    getIdToken.mockImplementationOnce(async () => {
      expect(runner.lines().filter((line) => line.startsWith('::warning::'))).toHaveLength(1);
      return OIDC_TOKEN;
    });

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(runner.lines().filter((line) => line.startsWith('::warning::'))).toEqual([
      expect.stringMatching(/^::warning::Input mfa-token has no effect: only the role in role-to-assume acts, and a role can never step up/),
    ]);
    expect(getIdToken).toHaveBeenCalledTimes(1);
  });
});

describe('the user name as IAM spells it (mask-user-name)', () => {
  it('masks the canonical name before anything from AWS is printed, and records the unique id', async () => {
    // IAM names are case-insensitive: ALICE acts on alice, and AWS answers with "alice" (in the FIDO key's ARN too).
    givenInputs({ 'user-name': 'ALICE', ...asRole });
    givenDevices({ [KEY_OWNER]: [[PHONE, KEY]] });

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(iamTimeline()).toEqual(['GetUser ALICE', 'ListMFADevices alice', `DeactivateMFADevice ${PHONE}`, `DeactivateMFADevice ${KEY}`]);
    const lines = runner.lines();
    const maskAt = lines.indexOf(`::add-mask::${KEY_OWNER}`);
    expect(maskAt).toBeGreaterThanOrEqual(0);
    const printed = lines.flatMap((line, i) => (line.includes(KEY_OWNER) && i !== maskAt ? [i] : []));
    expect(printed.length).toBeGreaterThan(0); // the FIDO key's ARN is logged
    expect(printed.every((i) => i > maskAt)).toBe(true);
    expect(runner.summary()).not.toMatch(/alice/i);
    expect(runner.summary()).toContain(`<code>${USER_ID}</code> (path <code>/</code>)`);
  });

  it('with mask-user-name: false, asks IAM nothing more', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole, 'mask-user-name': 'false' });
    givenDevices({ bob: [[PHONE]] });

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(iam.commandCalls(GetUserCommand)).toHaveLength(0);
    expect(runner.summary()).not.toContain('IAM user id');
  });

  it('GetUser refused: fails naming iam:GetUser and mask-user-name: false, listing nothing', async () => {
    givenInputs({ 'user-name': 'bob', ...asRole });
    givenDevices({ bob: [[PHONE]] });
    iam.on(GetUserCommand).rejects(
      new IAMServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: `User: ${ASSUMED_ROLE_ARN} is not authorized to perform: iam:GetUser on resource: user bob because no identity-based policy allows the iam:GetUser action`,
        $metadata: { httpStatusCode: 403 },
      }),
    );

    await runAction();

    expect(runner.failure()).toMatch(/IAM refused iam:GetUser .*Grant iam:GetUser, or set mask-user-name: false\.$/);
    expect(iamTimeline()).toEqual(['GetUser bob']);
    expect(runner.outputs()).toMatchObject({ result: 'failed', 'planned-devices': '[]' });
  });

  it('an AWS message naming the user in another case is masked before it is printed', async () => {
    // The user's own keys, given as ALICE; AWS answers with alice in ARNs and in its refusal.
    givenInputs({ 'user-name': 'ALICE', ...asUser });
    iam.on(GetUserCommand).rejects(
      new IAMServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: `User: arn:aws:iam::123456789012:user/${KEY_OWNER} is not authorized to perform: iam:GetUser on resource: user ${KEY_OWNER}`,
        $metadata: { httpStatusCode: 403 },
      }),
    );

    await runAction();

    const lines = runner.lines();
    const maskAt = lines.indexOf(`::add-mask::${KEY_OWNER}`);
    expect(maskAt).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((line, i) => i !== maskAt && line.includes(KEY_OWNER))).toBeGreaterThan(maskAt);
    expect(runner.failure()).toContain(`user/${KEY_OWNER}`); // the runner masks it on the way out
    expect(runner.summary()).not.toMatch(/alice/i);
  });

  it('an unknown user fails naming user-name', async () => {
    givenInputs({ 'user-name': 'nobody', ...asRole });
    iam.on(GetUserCommand).rejects(noSuchEntity('nobody'));

    await runAction();

    expect(runner.failure()).toMatch(/^deactivate-iam-mfa: Input user-name names no IAM user in this account/);
    expect(iamTimeline()).toEqual(['GetUser nobody']);
  });
});

describe('secrets', () => {
  it('keys from the default chain are masked before the first call signs with them', async () => {
    givenInputs({ 'user-name': KEY_OWNER });
    process.env['AWS_ACCESS_KEY_ID'] = USER_KEYS.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = USER_KEYS.secretAccessKey;
    // A hostile or broken endpoint that echoes the request's Authorization header in its error.
    sts.on(GetCallerIdentityCommand).callsFake(async (_input: unknown, getClient: () => STSClient) => {
      const { accessKeyId } = await getClient().config.credentials();
      throw new Error(`Bad request: Authorization: AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/sts/aws4_request`);
    });

    await runAction();

    expect(runner.failure()).toContain(USER_KEYS.accessKeyId);
    const lines = runner.lines();
    for (const secret of [USER_KEYS.accessKeyId, USER_KEYS.secretAccessKey]) {
      const { mask, firstOther } = maskOrder(lines, secret, 0);
      expect(mask, `${secret} masked`).toBeGreaterThanOrEqual(0);
      expect(mask).toBeLessThan(firstOther);
    }
  });

  it('credentials never leave memory, and every one is masked before anything else is printed', async () => {
    givenInputs({ 'user-name': KEY_OWNER, ...asRole, ...asUser, 'mfa-token': MFA_CODE });
    givenDevices({ [KEY_OWNER]: [[PHONE, TOKEN]], [OWN]: [[PHONE]] });
    givenMfaRequiredForDeactivation();
    const envBefore = { ...process.env };

    await runAction();

    expect(runner.failure()).toBeUndefined();
    expect(runner.outputs()['step-up-used']).toBe('true'); // the whole path ran: role, refusal, step-up, retry
    expect(process.env).toEqual(envBefore);
    expect(core.exportVariable).not.toHaveBeenCalled();
    expect(core.saveState).not.toHaveBeenCalled();
    expect(runner.file('GITHUB_ENV')).toBe('');
    expect(runner.file('GITHUB_STATE')).toBe('');

    const secrets = [
      USER_KEYS.accessKeyId,
      USER_KEYS.secretAccessKey,
      MFA_CODE,
      OIDC_TOKEN,
      ROLE_SESSION.AccessKeyId,
      ROLE_SESSION.SecretAccessKey,
      ROLE_SESSION.SessionToken,
      MFA_SESSION.AccessKeyId,
      MFA_SESSION.SecretAccessKey,
      MFA_SESSION.SessionToken,
    ];
    const lines = runner.lines();
    const outputValues = vi.mocked(core.setOutput).mock.calls.map(([, value]) => String(value));
    expect(outputValues.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(
        lines.filter((line) => line.includes(secret)),
        secret,
      ).toEqual([`::add-mask::${secret}`]);
      expect(
        outputValues.filter((value) => value.includes(secret)),
        secret,
      ).toEqual([]);
      expect(runner.file('GITHUB_OUTPUT'), secret).not.toContain(secret);
      expect(runner.summary(), secret).not.toContain(secret);
      // Inputs exist from the start; the OIDC token and sessions from the moment AWS or GitHub hands them over.
      const { mask, firstOther } = maskOrder(lines, secret, bornAt.get(secret) ?? 0);
      expect(mask, `${secret} masked`).toBeGreaterThanOrEqual(0);
      expect(mask, `${secret} masked before line ${firstOther}: ${lines[firstOther]}`).toBeLessThan(firstOther);
    }
    // The inputs and the OIDC token are masked before the very first other line.
    const firstLine = lines.findIndex((line) => !line.startsWith('::add-mask::'));
    for (const secret of [USER_KEYS.accessKeyId, USER_KEYS.secretAccessKey, MFA_CODE, OIDC_TOKEN]) {
      expect(lines.indexOf(`::add-mask::${secret}`)).toBeLessThan(firstLine);
    }
  });

  it.each([
    { maskUserName: 'true', masked: true },
    { maskUserName: 'false', masked: false },
  ])('mask-user-name: $maskUserName', async ({ maskUserName, masked }) => {
    const userName = 'carol.example';
    givenInputs({ 'user-name': userName, ...asRole, 'mfa-token': MFA_CODE, 'mask-user-name': maskUserName });
    givenDevices({ [userName]: [[PHONE]] });

    await runAction();

    expect(runner.failure()).toBeUndefined();
    const lines = runner.lines();
    const firstOther = lines.findIndex((line) => !line.startsWith('::add-mask::'));
    expect(lines.indexOf(`::add-mask::${MFA_CODE}`)).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf(`::add-mask::${MFA_CODE}`)).toBeLessThan(firstOther);
    if (masked) {
      expect(lines.indexOf(`::add-mask::${userName}`)).toBeGreaterThanOrEqual(0);
      expect(lines.indexOf(`::add-mask::${userName}`)).toBeLessThan(firstOther);
      expect(runner.summary()).not.toContain(userName);
      expect(runner.summary()).toContain('<code>***</code>');
    } else {
      expect(lines.filter((line) => line.startsWith('::add-mask::') && line.includes(userName))).toEqual([]);
      expect(runner.summary()).toContain(`<code>${userName}</code>`);
    }
  });
});
