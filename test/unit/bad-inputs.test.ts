// Every bad value of every input, each refused with an InputError that names it, on every path
// (an input the chosen path does not read is checked all the same), through the same front door as
// run(): rawInputs (action.yml's defaults), secretsOf (masked first), readSettings. Nothing is read
// from the workspace for a refused request-file. What only a process can show (no request at all
// before the refusal, the secrets masked before the first line, no injected workflow command) is
// checked for a few of these rows by test/e2e/inputs.e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { FileReader } from '../../src/inputs/approval.ts';
import { INPUT_DEFAULTS } from '../../src/inputs/defaults.ts';
import { rawInputs, readSettings, secretsOf } from '../../src/inputs/read.ts';

type Path = 'role' | 'keys' | 'default-chain';

interface BadInput {
  name: string;
  /** The input the error must name. */
  input: string;
  /** What the run acts with; each value is checked whichever path reads it. */
  path: Path;
  inputs: Record<string, string>;
}

const ACCOUNT = '123456789012';
const ZWSP = '\u200b';
const INJECT = '::warning::injected';

const rows: BadInput[] = [
  // user-name
  { name: 'empty', input: 'user-name', path: 'role', inputs: { 'user-name': '' } },
  { name: 'white space only', input: 'user-name', path: 'role', inputs: { 'user-name': '   ' } },
  { name: 'leading space', input: 'user-name', path: 'keys', inputs: { 'user-name': ' alice' } },
  { name: 'trailing newline', input: 'user-name', path: 'role', inputs: { 'user-name': 'alice\n' } },
  { name: 'over-long (129)', input: 'user-name', path: 'role', inputs: { 'user-name': 'a'.repeat(129) } },
  { name: 'a space inside', input: 'user-name', path: 'role', inputs: { 'user-name': 'al ice' } },
  { name: 'a slash AWS forbids', input: 'user-name', path: 'role', inputs: { 'user-name': 'alice/bob' } },
  { name: 'newline and a workflow command', input: 'user-name', path: 'role', inputs: { 'user-name': `alice\n${INJECT}` } },
  { name: '%0A and a workflow command', input: 'user-name', path: 'role', inputs: { 'user-name': `alice%0A${INJECT}` } },
  { name: 'Cyrillic lookalike a', input: 'user-name', path: 'role', inputs: { 'user-name': '\u0430lice' } },
  { name: 'zero-width space', input: 'user-name', path: 'role', inputs: { 'user-name': `ali${ZWSP}ce` } },
  { name: 'full-width letters', input: 'user-name', path: 'default-chain', inputs: { 'user-name': '\uff41\uff4c\uff49\uff43\uff45' } },
  { name: 'shell text', input: 'user-name', path: 'role', inputs: { 'user-name': 'alice;rm -rf /' } },
  // mfa-token
  { name: 'five digits', input: 'mfa-token', path: 'keys', inputs: { 'mfa-token': '12345' } },
  { name: 'seven digits', input: 'mfa-token', path: 'keys', inputs: { 'mfa-token': '1234567' } },
  { name: 'Arabic-Indic digits', input: 'mfa-token', path: 'keys', inputs: { 'mfa-token': '\u0661\u0662\u0663\u0664\u0665\u0666' } },
  { name: 'a space inside', input: 'mfa-token', path: 'keys', inputs: { 'mfa-token': '123 456' } },
  { name: 'leading space', input: 'mfa-token', path: 'keys', inputs: { 'mfa-token': ' 123456' } },
  { name: 'trailing newline', input: 'mfa-token', path: 'default-chain', inputs: { 'mfa-token': '123456\n' } },
  { name: 'a full-width digit', input: 'mfa-token', path: 'keys', inputs: { 'mfa-token': '12345\uff16' } },
  { name: 'unused on the role path, still checked', input: 'mfa-token', path: 'role', inputs: { 'mfa-token': 'abcdef' } },
  // role-to-assume
  { name: 'a user ARN', input: 'role-to-assume', path: 'role', inputs: { 'role-to-assume': `arn:aws:iam::${ACCOUNT}:user/alice` } },
  { name: 'another partition than the region', input: 'role-to-assume', path: 'role', inputs: { 'role-to-assume': `arn:aws-cn:iam::${ACCOUNT}:role/x` } },
  { name: 'an assumed-role ARN', input: 'role-to-assume', path: 'role', inputs: { 'role-to-assume': `arn:aws:sts::${ACCOUNT}:assumed-role/x/y` } },
  { name: 'an 11-digit account', input: 'role-to-assume', path: 'role', inputs: { 'role-to-assume': 'arn:aws:iam::12345678901:role/x' } },
  { name: 'not an ARN', input: 'role-to-assume', path: 'role', inputs: { 'role-to-assume': 'role/x' } },
  { name: 'newline and a workflow command', input: 'role-to-assume', path: 'role', inputs: { 'role-to-assume': `arn:aws:iam::${ACCOUNT}:role/x\n${INJECT}` } },
  { name: 'a 65-character role name', input: 'role-to-assume', path: 'role', inputs: { 'role-to-assume': `arn:aws:iam::${ACCOUNT}:role/${'x'.repeat(65)}` } },
  {
    name: 'non-ASCII digits in the account',
    input: 'role-to-assume',
    path: 'role',
    inputs: { 'role-to-assume': 'arn:aws:iam::\u0661\u0662\u0663456789012:role/x' },
  },
  // audience
  { name: 'a newline', input: 'audience', path: 'role', inputs: { audience: 'sts.amazonaws.com\nx' } },
  { name: 'spaces, without a role', input: 'audience', path: 'keys', inputs: { audience: 'sts amazonaws com' } },
  { name: 'over-long (256)', input: 'audience', path: 'role', inputs: { audience: 'a'.repeat(256) } },
  { name: 'white space only', input: 'audience', path: 'role', inputs: { audience: '  ' } },
  // role-session-name
  { name: 'a space, without a role', input: 'role-session-name', path: 'keys', inputs: { 'role-session-name': 'a b' } },
  { name: 'one character', input: 'role-session-name', path: 'role', inputs: { 'role-session-name': 'a' } },
  { name: 'over-long (65)', input: 'role-session-name', path: 'role', inputs: { 'role-session-name': 'x'.repeat(65) } },
  { name: 'a Unicode hyphen', input: 'role-session-name', path: 'role', inputs: { 'role-session-name': 'gh\u2010octocat' } },
  // role-duration-seconds
  { name: 'banana, without a role', input: 'role-duration-seconds', path: 'keys', inputs: { 'role-duration-seconds': 'banana' } },
  { name: '1e3', input: 'role-duration-seconds', path: 'role', inputs: { 'role-duration-seconds': '1e3' } },
  { name: '0x384', input: 'role-duration-seconds', path: 'role', inputs: { 'role-duration-seconds': '0x384' } },
  { name: 'a leading space', input: 'role-duration-seconds', path: 'role', inputs: { 'role-duration-seconds': ' 900' } },
  { name: 'below 900', input: 'role-duration-seconds', path: 'role', inputs: { 'role-duration-seconds': '899' } },
  { name: 'above 43200', input: 'role-duration-seconds', path: 'role', inputs: { 'role-duration-seconds': '43201' } },
  { name: 'Devanagari digits', input: 'role-duration-seconds', path: 'role', inputs: { 'role-duration-seconds': '\u096f\u0966\u0966' } },
  { name: '900.0', input: 'role-duration-seconds', path: 'role', inputs: { 'role-duration-seconds': '900.0' } },
  { name: 'negative', input: 'role-duration-seconds', path: 'default-chain', inputs: { 'role-duration-seconds': '-900' } },
  // aws-access-key-id and aws-secret-access-key
  { name: 'a short key id', input: 'aws-access-key-id', path: 'keys', inputs: { 'aws-access-key-id': 'AKIA1' } },
  { name: 'hyphens in the key id', input: 'aws-access-key-id', path: 'keys', inputs: { 'aws-access-key-id': 'AKIA-EXAMPLE-0000000' } },
  { name: 'a zero-width space in the key id', input: 'aws-access-key-id', path: 'keys', inputs: { 'aws-access-key-id': `AKIAIOSFODNN7${ZWSP}EXAMPLE` } },
  { name: 'a key id without its secret', input: 'aws-secret-access-key', path: 'keys', inputs: { 'aws-secret-access-key': '' } },
  { name: '39 characters', input: 'aws-secret-access-key', path: 'keys', inputs: { 'aws-secret-access-key': 'A'.repeat(39) } },
  { name: '41 characters', input: 'aws-secret-access-key', path: 'keys', inputs: { 'aws-secret-access-key': 'A'.repeat(41) } },
  { name: 'a pasted trailing newline', input: 'aws-secret-access-key', path: 'keys', inputs: { 'aws-secret-access-key': `${'A'.repeat(40)}\n` } },
  { name: 'a secret without its key id', input: 'aws-access-key-id', path: 'keys', inputs: { 'aws-access-key-id': '' } },
  { name: 'a space in the secret', input: 'aws-secret-access-key', path: 'keys', inputs: { 'aws-secret-access-key': `${'A'.repeat(20)} ${'A'.repeat(19)}` } },
  // aws-region
  { name: 'a made-up region', input: 'aws-region', path: 'role', inputs: { 'aws-region': 'xx-fake-9' } },
  { name: 'a trailing space', input: 'aws-region', path: 'keys', inputs: { 'aws-region': 'us-east-1 ' } },
  { name: 'capitals', input: 'aws-region', path: 'role', inputs: { 'aws-region': 'US-EAST-1' } },
  { name: 'Unicode hyphens', input: 'aws-region', path: 'role', inputs: { 'aws-region': 'us\u2010east\u20101' } },
  { name: 'the global alias', input: 'aws-region', path: 'default-chain', inputs: { 'aws-region': 'aws-global' } },
  { name: 'newline and a workflow command', input: 'aws-region', path: 'role', inputs: { 'aws-region': `us-east-1\n${INJECT}` } },
  // serial-number and step-up-serial-number
  { name: 'too short', input: 'serial-number', path: 'role', inputs: { 'serial-number': 'GAHT1' } },
  { name: 'a space', input: 'serial-number', path: 'role', inputs: { 'serial-number': `arn:aws:iam::${ACCOUNT}:mfa/a b` } },
  { name: 'over-long (257)', input: 'serial-number', path: 'role', inputs: { 'serial-number': 'x'.repeat(257) } },
  { name: 'a space', input: 'step-up-serial-number', path: 'keys', inputs: { 'step-up-serial-number': 'GAHT 12345678' } },
  { name: 'a zero-width space', input: 'step-up-serial-number', path: 'keys', inputs: { 'step-up-serial-number': `GAHT1234${ZWSP}5678` } },
  // booleans
  { name: 'yes', input: 'dry-run', path: 'role', inputs: { 'dry-run': 'yes' } },
  { name: 'tRUE', input: 'dry-run', path: 'role', inputs: { 'dry-run': 'tRUE' } },
  { name: 'a leading space', input: 'dry-run', path: 'role', inputs: { 'dry-run': ' true' } },
  { name: '1', input: 'delete-virtual-devices', path: 'role', inputs: { 'delete-virtual-devices': '1' } },
  { name: 'misspelt', input: 'mask-user-name', path: 'role', inputs: { 'mask-user-name': 'ture' } },
  { name: 'on', input: 'mask-aws-account-id', path: 'role', inputs: { 'mask-aws-account-id': 'on' } },
  // protected-users
  { name: 'a YAML list', input: 'protected-users', path: 'role', inputs: { 'protected-users': '- alice' } },
  { name: 'space-separated', input: 'protected-users', path: 'role', inputs: { 'protected-users': 'bob alice' } },
  { name: 'semicolon-separated', input: 'protected-users', path: 'role', inputs: { 'protected-users': 'bob;alice' } },
  { name: 'tab-separated', input: 'protected-users', path: 'role', inputs: { 'protected-users': 'bob\talice' } },
  { name: 'quoted', input: 'protected-users', path: 'role', inputs: { 'protected-users': '"alice"' } },
  { name: 'a user ARN', input: 'protected-users', path: 'role', inputs: { 'protected-users': `arn:aws:iam::${ACCOUNT}:user/alice` } },
  { name: 'a zero-width space', input: 'protected-users', path: 'role', inputs: { 'protected-users': `ali${ZWSP}ce` } },
  { name: 'the protected user in capitals', input: 'user-name', path: 'role', inputs: { 'user-name': 'ALICE', 'protected-users': 'alice' } },
  { name: 'the protected user by a wildcard', input: 'user-name', path: 'keys', inputs: { 'protected-users': 'bob\nal*' } },
  { name: 'the protected user listed in capitals', input: 'user-name', path: 'default-chain', inputs: { 'protected-users': 'bob\nALICE\n' } },
  // timeout-seconds
  { name: 'an exponent', input: 'timeout-seconds', path: 'role', inputs: { 'timeout-seconds': '1e3' } },
  { name: 'hexadecimal', input: 'timeout-seconds', path: 'keys', inputs: { 'timeout-seconds': '0x78' } },
  { name: 'below the minimum', input: 'timeout-seconds', path: 'role', inputs: { 'timeout-seconds': '4' } },
  { name: 'Arabic-Indic digits', input: 'timeout-seconds', path: 'default-chain', inputs: { 'timeout-seconds': '\u0661\u0662\u0660' } },
  // approvals: refused before any GitHub call as well as any AWS call
  { name: 'yes', input: 'require-approval', path: 'role', inputs: { 'require-approval': 'yes' } },
  { name: 'a capital', input: 'require-approval', path: 'role', inputs: { 'require-approval': 'Environment' } },
  { name: 'a workflow command', input: 'require-approval', path: 'keys', inputs: { 'require-approval': INJECT } },
  { name: 'a trailing newline', input: 'github-token', path: 'role', inputs: { 'require-approval': 'environment', 'github-token': 'ghs_abcdefghijklmnop\n' } },
  { name: 'an exclamation mark', input: 'require-user-tag', path: 'role', inputs: { 'require-user-tag': 'github-login!' } },
  { name: 'over-long (129)', input: 'require-user-tag', path: 'role', inputs: { 'require-user-tag': 't'.repeat(129) } },
  { name: 'outside the workspace', input: 'request-file', path: 'role', inputs: { 'user-name': '', 'request-file': '../secrets.yml' } },
  { name: 'an absolute path', input: 'request-file', path: 'role', inputs: { 'user-name': '', 'request-file': '/etc/passwd' } },
  { name: 'beside user-name', input: 'user-name', path: 'role', inputs: { 'request-file': 'mfa-resets/alice.yml' } },
  { name: 'outside mfa-resets/', input: 'request-file', path: 'role', inputs: { 'user-name': '', 'request-file': 'docs/alice.yml' } },
  {
    name: 'missing in pull-request mode',
    input: 'request-file',
    path: 'role',
    inputs: { 'require-approval': 'pull-request', 'github-token': 'ghs_abcdefghijklmnop' },
  },
  { name: 'zero hours', input: 'approval-max-age-hours', path: 'role', inputs: { 'approval-max-age-hours': '0' } },
  { name: 'beyond the 30-day re-run window', input: 'approval-max-age-hours', path: 'keys', inputs: { 'approval-max-age-hours': '721' } },
  { name: 'a unit', input: 'approval-max-age-hours', path: 'default-chain', inputs: { 'approval-max-age-hours': '24h' } },
];

const ROLE = `arn:aws:iam::${ACCOUNT}:role/gha-mfa-admin`;
const KEYS = { 'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE', 'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const RUN = { actor: 'octocat', runId: 4242, runAttempt: 1 };

function inputsFor(path: Path, given: Record<string, string>): Record<string, string> {
  return { 'user-name': 'alice', ...(path === 'role' && { 'role-to-assume': ROLE }), ...(path === 'keys' && KEYS), ...given };
}

/** A workspace whose files must not be read: every refused request-file is refused before reading. */
const noFiles: FileReader = {
  workspace: '/nonexistent-workspace',
  read: (path) => {
    throw new Error(`read ${path}`);
  },
};

/** What run() does with the inputs before any request: fill defaults, collect the secrets to mask, read. */
function refusal(inputs: Record<string, string>): { error: unknown; secrets: string[] } {
  const raw = rawInputs((name) => inputs[name] ?? '');
  const secrets = secretsOf(raw);
  try {
    readSettings(raw, RUN, noFiles);
  } catch (error) {
    return { error, secrets };
  }
  return { error: undefined, secrets };
}

describe(`${rows.length} bad inputs, each refused naming the input, whichever path the run takes`, () => {
  it('every input of action.yml has a row', () => {
    const named = new Set(rows.map((row) => row.input));
    expect(Object.keys(INPUT_DEFAULTS).filter((input) => !named.has(input))).toEqual([]);
  });

  it.each(rows)('$input: $name ($path)', ({ input, path, inputs: given }) => {
    const inputs = inputsFor(path, given);
    const { error, secrets } = refusal(inputs);

    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe(input);
    const { message } = error as InputError;
    expect(message).toMatch(new RegExp(`^Input ${input} `));
    // One line, whatever the value held: the log shows it as one line, and no workflow command starts in it.
    expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
    // Never repeats a secret input; the secrets as given are masked first (white space alone is not).
    const givenSecrets = ['mfa-token', 'aws-access-key-id', 'aws-secret-access-key', 'github-token'].map((name) => inputs[name] ?? '');
    for (const secret of givenSecrets.filter((value) => value.trim().length >= 5)) {
      expect(message).not.toContain(secret.trim());
      expect(secrets).toContain(secret);
    }
  });
});
