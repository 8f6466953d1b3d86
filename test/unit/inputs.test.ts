import { describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS } from '../../src/inputs/defaults.ts';
import { InputError } from '../../src/errors.ts';
import { rawInputs, type RawInputs, readSettings, secretsOf } from '../../src/inputs/read.ts';
import { parseProtectedUsers, protectingPattern, readRegion } from '../../src/inputs/rules.ts';
import { defaultSessionName } from '../../src/inputs/session-name.ts';
import { show } from '../../src/text.ts';

const RUN = { actor: 'octocat', runId: 4242, runAttempt: 2 };
const ROLE = 'arn:aws:iam::123456789012:role/mfa-admin';
const KEYS = { 'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE', 'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** The inputs as the runner hands them over: the given values, action.yml's defaults for the rest. */
const raw = (inputs: Record<string, string>): RawInputs => rawInputs((name) => inputs[name] ?? '');

function inputErrorOf(inputs: Record<string, string>): InputError {
  try {
    readSettings(raw(inputs), RUN);
  } catch (caught) {
    if (caught instanceof InputError) return caught;
    throw caught;
  }
  throw new Error('readSettings accepted bad input');
}

describe('readSettings rejects every bad value on every path, naming the input', () => {
  // Each row is refused with no role and no keys unless the row says otherwise: a bad value is an
  // error whether or not the chosen path reads the input.
  const rows: { name: string; inputs: Record<string, string>; input: string }[] = [
    { name: 'missing user', inputs: {}, input: 'user-name' },
    { name: 'user with a space', inputs: { 'user-name': 'al ice' }, input: 'user-name' },
    { name: 'user too long', inputs: { 'user-name': 'a'.repeat(129) }, input: 'user-name' },
    { name: 'user with a Cyrillic a', inputs: { 'user-name': '\u0430lice' }, input: 'user-name' },
    { name: 'user with a trailing newline', inputs: { 'user-name': 'alice\n' }, input: 'user-name' },
    { name: 'user of white space', inputs: { 'user-name': '   ' }, input: 'user-name' },
    { name: 'five-digit code', inputs: { 'user-name': 'alice', 'mfa-token': '12345' }, input: 'mfa-token' },
    { name: 'code with letters', inputs: { 'user-name': 'alice', 'mfa-token': '12345a' }, input: 'mfa-token' },
    { name: 'code in Arabic-Indic digits', inputs: { 'user-name': 'alice', 'mfa-token': '\u0661\u0662\u0663\u0664\u0665\u0666' }, input: 'mfa-token' },
    { name: 'key id without secret', inputs: { 'user-name': 'alice', 'aws-access-key-id': KEYS['aws-access-key-id'] }, input: 'aws-secret-access-key' },
    { name: 'secret without key id', inputs: { 'user-name': 'alice', 'aws-secret-access-key': KEYS['aws-secret-access-key'] }, input: 'aws-access-key-id' },
    { name: 'short key id', inputs: { 'user-name': 'alice', ...KEYS, 'aws-access-key-id': 'AKIA1' }, input: 'aws-access-key-id' },
    { name: 'secret of 39 characters', inputs: { 'user-name': 'alice', ...KEYS, 'aws-secret-access-key': 'a'.repeat(39) }, input: 'aws-secret-access-key' },
    {
      name: 'secret with a space',
      inputs: { 'user-name': 'alice', ...KEYS, 'aws-secret-access-key': `${'a'.repeat(20)} ${'a'.repeat(19)}` },
      input: 'aws-secret-access-key',
    },
    {
      name: 'secret with a pasted newline',
      inputs: { 'user-name': 'alice', ...KEYS, 'aws-secret-access-key': `${KEYS['aws-secret-access-key']}\n` },
      input: 'aws-secret-access-key',
    },
    { name: 'not a region', inputs: { 'user-name': 'alice', 'aws-region': 'mars' }, input: 'aws-region' },
    { name: 'a region-shaped name no partition lists', inputs: { 'user-name': 'alice', 'aws-region': 'xx-fake-9' }, input: 'aws-region' },
    { name: 'a plausible but unknown aws region', inputs: { 'user-name': 'alice', 'aws-region': 'us-east-9' }, input: 'aws-region' },
    { name: 'the global endpoint alias', inputs: { 'user-name': 'alice', 'aws-region': 'aws-global' }, input: 'aws-region' },
    { name: 'a region in capitals', inputs: { 'user-name': 'alice', 'aws-region': 'US-EAST-1' }, input: 'aws-region' },
    { name: 'not a role arn', inputs: { 'user-name': 'alice', 'role-to-assume': 'arn:aws:iam::123:role/x' }, input: 'role-to-assume' },
    { name: 'user arn as role', inputs: { 'user-name': 'alice', 'role-to-assume': 'arn:aws:iam::123456789012:user/x' }, input: 'role-to-assume' },
    { name: 'china role, us region', inputs: { 'user-name': 'alice', 'role-to-assume': 'arn:aws-cn:iam::123456789012:role/x' }, input: 'role-to-assume' },
    { name: 'audience with a newline, no role', inputs: { 'user-name': 'alice', audience: 'sts.amazonaws.com\nx' }, input: 'audience' },
    { name: 'audience with a space, no role', inputs: { 'user-name': 'alice', audience: 'sts amazonaws' }, input: 'audience' },
    { name: 'duration too short', inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, 'role-duration-seconds': '60' }, input: 'role-duration-seconds' },
    {
      name: 'duration not a number',
      inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, 'role-duration-seconds': '900s' },
      input: 'role-duration-seconds',
    },
    { name: 'duration banana, no role', inputs: { 'user-name': 'alice', 'role-duration-seconds': 'banana' }, input: 'role-duration-seconds' },
    { name: 'duration 1e3', inputs: { 'user-name': 'alice', 'role-duration-seconds': '1e3' }, input: 'role-duration-seconds' },
    { name: 'duration 0x384', inputs: { 'user-name': 'alice', 'role-duration-seconds': '0x384' }, input: 'role-duration-seconds' },
    { name: 'duration " 900"', inputs: { 'user-name': 'alice', 'role-duration-seconds': ' 900' }, input: 'role-duration-seconds' },
    { name: 'duration 0900', inputs: { 'user-name': 'alice', 'role-duration-seconds': '0900' }, input: 'role-duration-seconds' },
    { name: 'duration 900.0', inputs: { 'user-name': 'alice', 'role-duration-seconds': '900.0' }, input: 'role-duration-seconds' },
    {
      name: 'session name with space, with role',
      inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, 'role-session-name': 'a b' },
      input: 'role-session-name',
    },
    { name: 'session name with space, no role', inputs: { 'user-name': 'alice', 'role-session-name': 'a b' }, input: 'role-session-name' },
    { name: 'serial too short', inputs: { 'user-name': 'alice', 'serial-number': 'GAHT1' }, input: 'serial-number' },
    { name: 'step-up serial with space', inputs: { 'user-name': 'alice', 'step-up-serial-number': 'arn:aws:iam::1:mfa/a b' }, input: 'step-up-serial-number' },
    { name: 'yes is not YAML 1.2', inputs: { 'user-name': 'alice', 'dry-run': 'yes' }, input: 'dry-run' },
    { name: 'tRUE is not YAML 1.2', inputs: { 'user-name': 'alice', 'delete-virtual-devices': 'tRUE' }, input: 'delete-virtual-devices' },
    { name: 'mask-user-name 1', inputs: { 'user-name': 'alice', 'mask-user-name': '1' }, input: 'mask-user-name' },
    { name: 'mask-aws-account-id on', inputs: { 'user-name': 'alice', 'mask-aws-account-id': 'on' }, input: 'mask-aws-account-id' },
    { name: 'protected user', inputs: { 'user-name': 'BreakGlass-1', 'protected-users': 'root-admin\nbreakglass-*' }, input: 'user-name' },
    { name: 'protected-users as a YAML list', inputs: { 'user-name': 'alice', 'protected-users': '- alice' }, input: 'protected-users' },
    { name: 'protected-users separated by spaces', inputs: { 'user-name': 'bob', 'protected-users': 'alice bob' }, input: 'protected-users' },
    { name: 'protected-users separated by a semicolon', inputs: { 'user-name': 'bob', 'protected-users': 'alice;bob' }, input: 'protected-users' },
    { name: 'protected-users separated by a tab', inputs: { 'user-name': 'bob', 'protected-users': 'alice\tbob' }, input: 'protected-users' },
    { name: 'protected-users quoted', inputs: { 'user-name': 'bob', 'protected-users': '"alice"' }, input: 'protected-users' },
    {
      name: 'protected-users as a user ARN',
      inputs: { 'user-name': 'bob', 'protected-users': 'arn:aws:iam::123456789012:user/alice' },
      input: 'protected-users',
    },
  ];
  it.each(rows)('$name', ({ inputs, input }) => {
    const error = inputErrorOf(inputs);
    expect(error.input).toBe(input);
    expect(error.message).toContain(`Input ${input} `);
  });

  it('never repeats a secret in its message', () => {
    const error = inputErrorOf({ 'user-name': 'alice', 'mfa-token': '98765', ...KEYS });
    expect(error.message).not.toContain('98765');
    const keyError = inputErrorOf({ 'user-name': 'alice', ...KEYS, 'aws-secret-access-key': 'not-a-secret-key-but-a-secret-all-the-same' });
    expect(keyError.message).not.toContain('not-a-secret');
  });

  it('names the protected-users entry it refuses, with invisible characters shown', () => {
    expect(inputErrorOf({ 'user-name': 'bob', 'protected-users': 'carol\n- alice' }).message).toContain('entry "- alice"');
    expect(inputErrorOf({ 'user-name': 'bob', 'protected-users': 'ali\u200bce' }).message).toContain('"ali\\u200bce"');
  });
});

describe('readSettings', () => {
  it('reads a full OIDC configuration with defaults', () => {
    const { settings, warnings, masks } = readSettings(raw({ 'user-name': 'alice', 'role-to-assume': ROLE }), RUN);
    expect(settings).toEqual({
      userName: 'alice',
      mfaToken: undefined,
      userKeys: undefined,
      region: 'us-east-1',
      partition: 'aws',
      role: { arn: ROLE, audience: 'sts.amazonaws.com', sessionName: 'gh-octocat-4242-2', sessionNameFrom: 'default', durationSeconds: 900 },
      serialNumber: undefined,
      stepUpSerialNumber: undefined,
      dryRun: false,
      deleteVirtualDevices: false,
      protectedUsers: [],
      maskUserName: true,
      maskAwsAccountId: false,
      approval: { mode: 'none', githubToken: '', userTag: undefined, request: undefined, maxAgeHours: 24 },
      timeoutSeconds: 120,
    });
    expect(warnings).toEqual([]);
    expect(masks).toEqual([]);
  });

  it('records a session name the workflow set as its own', () => {
    const { settings } = readSettings(raw({ 'user-name': 'alice', 'role-to-assume': ROLE, 'role-session-name': 'mine' }), RUN);
    expect(settings.role).toMatchObject({ sessionName: 'mine', sessionNameFrom: 'workflow' });
  });

  it('reads the user keys', () => {
    expect(readSettings(raw({ 'user-name': 'alice', ...KEYS }), RUN).settings.userKeys).toEqual({
      accessKeyId: KEYS['aws-access-key-id'],
      secretAccessKey: KEYS['aws-secret-access-key'],
    });
  });

  it('masks the account id when asked', () => {
    expect(readSettings(raw({ 'user-name': 'alice', 'mask-aws-account-id': 'true', 'role-to-assume': ROLE }), RUN).masks).toEqual(['123456789012']);
  });

  it.each([
    ['True', true],
    ['FALSE', false],
    ['', false],
  ])('reads dry-run %j as %s', (value, expected) => {
    expect(readSettings(raw({ 'user-name': 'alice', 'dry-run': value }), RUN).settings.dryRun).toBe(expected);
  });

  it('accepts a GovCloud role in a GovCloud region', () => {
    const { settings } = readSettings(
      raw({ 'user-name': 'a', 'aws-region': 'us-gov-west-1', 'role-to-assume': 'arn:aws-us-gov:iam::123456789012:role/path/x' }),
      RUN,
    );
    expect(settings.partition).toBe('aws-us-gov');
  });
});

describe('secretsOf: what is masked before anything is checked', () => {
  it.each([
    {
      name: 'user name, code and keys',
      inputs: { 'user-name': 'alice', 'mfa-token': '123456', ...KEYS },
      expected: ['alice', '123456', ...Object.values(KEYS)],
    },
    { name: 'invalid values too', inputs: { 'user-name': 'al ice', 'mfa-token': '12', 'aws-region': 'nowhere' }, expected: ['al ice', '12'] },
    { name: 'not the user name when masking is off', inputs: { 'user-name': 'alice', 'mask-user-name': 'false' }, expected: [] },
    { name: 'the user name when mask-user-name is misspelt', inputs: { 'user-name': 'alice', 'mask-user-name': 'flase' }, expected: ['alice'] },
    { name: 'never white space alone', inputs: { 'user-name': '  ', 'mfa-token': '\n' }, expected: [] },
  ])('$name', ({ inputs, expected }) => {
    expect(secretsOf(raw(inputs))).toEqual(expected);
  });
});

describe('warnings for valid inputs that do nothing on the chosen path', () => {
  const rows: { name: string; inputs: Record<string, string>; expected: string[] }[] = [
    { name: 'defaults say nothing', inputs: { 'user-name': 'alice' }, expected: [] },
    {
      name: 'defaults given explicitly say nothing',
      inputs: { 'user-name': 'alice', audience: 'sts.amazonaws.com', 'role-duration-seconds': '900', 'dry-run': 'false' },
      expected: [],
    },
    { name: 'role-session-name without a role', inputs: { 'user-name': 'alice', 'role-session-name': 'mine' }, expected: ['role-session-name'] },
    { name: 'role-duration-seconds without a role', inputs: { 'user-name': 'alice', 'role-duration-seconds': '1800' }, expected: ['role-duration-seconds'] },
    { name: 'audience without a role', inputs: { 'user-name': 'alice', audience: 'my-aud' }, expected: ['audience'] },
    {
      name: 'role inputs with a role',
      inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, 'role-session-name': 'mine', audience: 'my-aud', 'role-duration-seconds': '1800' },
      expected: [],
    },
    { name: 'mfa-token with only a role', inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, 'mfa-token': '123456' }, expected: ['mfa-token'] },
    {
      name: 'step-up serial with only a role',
      inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, 'mfa-token': '123456', 'step-up-serial-number': 'GAHT12345678' },
      expected: ['mfa-token', 'step-up-serial-number'],
    },
    { name: 'mfa-token with a role and user keys', inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, ...KEYS, 'mfa-token': '123456' }, expected: [] },
    { name: 'mfa-token with the default chain', inputs: { 'user-name': 'alice', 'mfa-token': '123456' }, expected: [] },
    {
      name: 'step-up serial without a code',
      inputs: { 'user-name': 'alice', ...KEYS, 'step-up-serial-number': 'GAHT12345678' },
      expected: ['step-up-serial-number'],
    },
    {
      name: 'delete-virtual-devices on a dry run',
      inputs: { 'user-name': 'alice', 'dry-run': 'true', 'delete-virtual-devices': 'true' },
      expected: ['delete-virtual-devices'],
    },
    { name: 'a protected-users entry with a comma', inputs: { 'user-name': 'alice', 'protected-users': 'bob,carol' }, expected: ['protected-users'] },
  ];
  it.each(rows)('$name', ({ inputs, expected }) => {
    const { warnings } = readSettings(raw(inputs), RUN);
    expect(warnings.map((warning) => /^Input ([a-z-]+) /.exec(warning)?.[1])).toEqual(expected);
    for (const warning of warnings) expect(warning).toMatch(/^Input [a-z-]+ (has no effect: |entry ").+/);
  });
});

describe('rawInputs', () => {
  it("fills action.yml's default for an input left empty, and keeps everything else untrimmed", () => {
    const inputs = rawInputs((name) => ({ 'user-name': ' alice', 'dry-run': '' })[name as string] ?? '');
    expect(inputs['user-name']).toBe(' alice');
    expect(inputs['dry-run']).toBe(INPUT_DEFAULTS['dry-run']);
    expect(Object.keys(inputs)).toEqual(Object.keys(INPUT_DEFAULTS));
  });
});

describe("readRegion: the SDK's own partitions data", () => {
  it.each([
    { region: 'us-east-1', partition: 'aws' },
    { region: 'eu-central-2', partition: 'aws' },
    { region: 'cn-north-1', partition: 'aws-cn' },
    { region: 'us-gov-west-1', partition: 'aws-us-gov' },
    { region: 'us-iso-east-1', partition: 'aws-iso' },
  ])('$region is in $partition', ({ region, partition }) => {
    expect(readRegion(region)).toEqual({ region, partition });
  });

  it.each(['xx-fake-9', 'us-east-99', 'cn-global', 'aws-cn-global', '', 'us\u2010east-1'])('%j is not a region', (region) => {
    expect(() => readRegion(region)).toThrow(/^Input aws-region is not an AWS region/);
  });
});

describe('defaultSessionName', () => {
  it.each([
    { run: RUN, expected: 'gh-octocat-4242-2' },
    { run: { actor: 'dependabot[bot]', runId: 1, runAttempt: 1 }, expected: 'gh-dependabot-bot--1-1' },
    { run: { actor: '', runId: 0, runAttempt: 1 }, expected: 'gh-unknown-0-1' },
    { run: { actor: 'x'.repeat(80), runId: 123, runAttempt: 1 }, expected: `gh-${'x'.repeat(55)}-123-1` },
  ])('$expected', ({ run, expected }) => {
    const name = defaultSessionName(run);
    expect(name).toBe(expected);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});

describe('parseProtectedUsers: one pattern per line', () => {
  it.each([
    {
      name: 'one per line, blank lines and surrounding blanks ignored',
      list: 'alice\n\n  breakglass-*\t\r\nops@example.com\n',
      expected: ['alice', 'breakglass-*', 'ops@example.com'],
    },
    { name: 'a comma is part of a name', list: 'last,first', expected: ['last,first'] },
    { name: 'empty', list: '', expected: [] },
  ])('$name', ({ list, expected }) => {
    expect(parseProtectedUsers(list)).toEqual(expected);
  });
});

describe('protectingPattern', () => {
  it.each([
    { user: 'admin', patterns: ['admin'], expected: 'admin' },
    { user: 'ADMIN', patterns: ['admin'], expected: 'admin' },
    { user: 'breakglass-7', patterns: ['ops', 'breakglass-*'], expected: 'breakglass-*' },
    { user: 'adminx', patterns: ['admin'], expected: undefined },
    { user: 'a.b', patterns: ['a*b'], expected: 'a*b' },
    { user: 'axb', patterns: ['a.b'], expected: undefined },
    { user: 'Last,First', patterns: ['last,first'], expected: 'last,first' },
    { user: 'alice', patterns: [], expected: undefined },
  ])('$user against $patterns', ({ user, patterns, expected }) => {
    expect(protectingPattern(user, patterns)).toBe(expected);
  });
});

describe('show', () => {
  it.each([
    { value: 'us-east-1', expected: '"us-east-1"' },
    { value: 'a\nb', expected: '"a\\nb"' },
    { value: 'us\u2010east-1', expected: '"us\\u2010east-1"' },
    { value: 'x'.repeat(70), expected: `"${'x'.repeat(64)}"... (70 characters)` },
  ])('$expected', ({ value, expected }) => {
    expect(show(value)).toBe(expected);
  });
});
