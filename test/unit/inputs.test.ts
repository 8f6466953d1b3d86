import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { defaultSessionName, type InputSource, partitionOf, protectingPattern, readSettings } from '../../src/inputs.ts';

const RUN = { actor: 'octocat', runId: 4242, runAttempt: 2 };
const ROLE = 'arn:aws:iam::123456789012:role/mfa-admin';

function source(inputs: Record<string, string>): InputSource & { masked: string[] } {
  const masked: string[] = [];
  return { get: (name) => inputs[name] ?? '', mask: (value) => masked.push(value), masked };
}

describe('readSettings rejects bad input, naming it', () => {
  const rows: { name: string; inputs: Record<string, string>; input: string }[] = [
    { name: 'missing user', inputs: {}, input: 'user-name' },
    { name: 'user with a space', inputs: { 'user-name': 'al ice' }, input: 'user-name' },
    { name: 'user too long', inputs: { 'user-name': 'a'.repeat(129) }, input: 'user-name' },
    { name: 'five-digit code', inputs: { 'user-name': 'alice', 'mfa-token': '12345' }, input: 'mfa-token' },
    { name: 'code with letters', inputs: { 'user-name': 'alice', 'mfa-token': '12345a' }, input: 'mfa-token' },
    { name: 'key id without secret', inputs: { 'user-name': 'alice', 'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE' }, input: 'aws-secret-access-key' },
    { name: 'secret without key id', inputs: { 'user-name': 'alice', 'aws-secret-access-key': 's' }, input: 'aws-access-key-id' },
    { name: 'short key id', inputs: { 'user-name': 'alice', 'aws-access-key-id': 'AKIA1', 'aws-secret-access-key': 's' }, input: 'aws-access-key-id' },
    { name: 'not a region', inputs: { 'user-name': 'alice', 'aws-region': 'mars' }, input: 'aws-region' },
    { name: 'not a role arn', inputs: { 'user-name': 'alice', 'role-to-assume': 'arn:aws:iam::123:role/x' }, input: 'role-to-assume' },
    { name: 'user arn as role', inputs: { 'user-name': 'alice', 'role-to-assume': 'arn:aws:iam::123456789012:user/x' }, input: 'role-to-assume' },
    { name: 'china role, us region', inputs: { 'user-name': 'alice', 'role-to-assume': 'arn:aws-cn:iam::123456789012:role/x' }, input: 'role-to-assume' },
    { name: 'duration too short', inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, 'role-duration-seconds': '60' }, input: 'role-duration-seconds' },
    { name: 'duration not a number', inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, 'role-duration-seconds': '900s' }, input: 'role-duration-seconds' },
    { name: 'session name with space', inputs: { 'user-name': 'alice', 'role-to-assume': ROLE, 'role-session-name': 'a b' }, input: 'role-session-name' },
    { name: 'serial too short', inputs: { 'user-name': 'alice', 'serial-number': 'GAHT1' }, input: 'serial-number' },
    { name: 'step-up serial with space', inputs: { 'user-name': 'alice', 'step-up-serial-number': 'arn:aws:iam::1:mfa/a b' }, input: 'step-up-serial-number' },
    { name: 'yes is not YAML 1.2', inputs: { 'user-name': 'alice', 'dry-run': 'yes' }, input: 'dry-run' },
    { name: 'tRUE is not YAML 1.2', inputs: { 'user-name': 'alice', 'delete-virtual-devices': 'tRUE' }, input: 'delete-virtual-devices' },
    { name: 'protected user', inputs: { 'user-name': 'BreakGlass-1', 'protected-users': 'root-admin\nbreakglass-*' }, input: 'user-name' },
  ];
  it.each(rows)('$name', ({ inputs, input }) => {
    const error = (() => {
      try {
        readSettings(source(inputs), RUN);
      } catch (caught) {
        return caught;
      }
      throw new Error('readSettings accepted bad input');
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe(input);
    expect((error as Error).message).toContain(`Input ${input} `);
  });

  it('never repeats a secret in its message', () => {
    expect(() => readSettings(source({ 'user-name': 'alice', 'mfa-token': '98765' }), RUN)).toThrow(/^(?!.*98765)/s);
  });
});

describe('readSettings', () => {
  it('reads a full OIDC configuration with defaults', () => {
    const settings = readSettings(source({ 'user-name': 'alice', 'role-to-assume': ROLE }), RUN);
    expect(settings).toMatchObject({
      userName: 'alice',
      mfaToken: undefined,
      userKeys: undefined,
      region: 'us-east-1',
      partition: 'aws',
      role: { arn: ROLE, audience: 'sts.amazonaws.com', sessionName: 'gh-octocat-4242-2', durationSeconds: 900 },
      dryRun: false,
      deleteVirtualDevices: false,
      maskUserName: true,
      maskAwsAccountId: false,
    });
  });

  it('masks the user name, code and keys before validating anything', () => {
    const inputs = source({
      'user-name': 'alice',
      'mfa-token': '123456',
      'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE',
      'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws-region': 'not-a-region',
    });
    expect(() => readSettings(inputs, RUN)).toThrow(InputError);
    expect(inputs.masked).toEqual(['alice', '123456', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
  });

  it('leaves the user name unmasked when asked, and masks the account id when asked', () => {
    const inputs = source({ 'user-name': 'alice', 'mask-user-name': 'false', 'mask-aws-account-id': 'true', 'role-to-assume': ROLE });
    readSettings(inputs, RUN);
    expect(inputs.masked).toEqual(['123456789012']);
  });

  it.each([
    ['True', true],
    ['FALSE', false],
    ['', false],
  ])('reads dry-run %j as %s', (raw, expected) => {
    expect(readSettings(source({ 'user-name': 'alice', 'dry-run': raw }), RUN).dryRun).toBe(expected);
  });

  it('accepts a GovCloud role in a GovCloud region', () => {
    const settings = readSettings(source({ 'user-name': 'a', 'aws-region': 'us-gov-west-1', 'role-to-assume': 'arn:aws-us-gov:iam::123456789012:role/path/x' }), RUN);
    expect(settings.partition).toBe('aws-us-gov');
  });
});

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('%s is in %s', (region, partition) => expect(partitionOf(region)).toBe(partition));
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

describe('protectingPattern', () => {
  it.each([
    { user: 'admin', patterns: ['admin'], expected: 'admin' },
    { user: 'ADMIN', patterns: ['admin'], expected: 'admin' },
    { user: 'breakglass-7', patterns: ['ops', 'breakglass-*'], expected: 'breakglass-*' },
    { user: 'adminx', patterns: ['admin'], expected: undefined },
    { user: 'a.b', patterns: ['a*b'], expected: 'a*b' },
    { user: 'axb', patterns: ['a.b'], expected: undefined },
    { user: 'alice', patterns: [], expected: undefined },
  ])('$user against $patterns', ({ user, patterns, expected }) => {
    expect(protectingPattern(user, patterns)).toBe(expected);
  });
});
