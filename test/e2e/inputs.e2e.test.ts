// Hostile and malformed inputs, and the user name's case, through the built dist/index.js run as the
// runner runs it, against the stand-in. A bad value fails the step with an error naming the input
// before any request (the OIDC token endpoint included), on every path, and leaks nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Standin, startStandin } from '../../standin/index.ts';
import { type ActionRun, leaksOf, maskedFirst, runAction } from '../../standin/runner.ts';

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
];

/** At most `limit` action processes at once: the machine is small and shared. */
function limiter(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    while (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
const bounded = limiter(4);

/** A stand-in where alice has a device, a role may deactivate it, and alice's keys work. */
async function world(): Promise<{ standin: Standin; role: string; keys: { accessKeyId: string; secretAccessKey: string } }> {
  const standin = await startStandin();
  const role = standin.createRole('gha-mfa-admin', { admin: true }).arn;
  standin.createUser('alice', { requireMfaForSelf: false });
  standin.addVirtualMfa('alice', 'alice-phone');
  return { standin, role, keys: standin.createAccessKey('alice') };
}

function inputsFor(path: Path, given: Record<string, string>, setup: Awaited<ReturnType<typeof world>>): Record<string, string> {
  const { role, keys } = setup;
  const base: Record<string, string> = { 'user-name': 'alice' };
  if (path === 'role') base['role-to-assume'] = role;
  if (path === 'keys') Object.assign(base, { 'aws-access-key-id': keys.accessKeyId, 'aws-secret-access-key': keys.secretAccessKey });
  return { ...base, ...given };
}

function runPath(path: Path, inputs: Record<string, string>, { standin, keys }: Awaited<ReturnType<typeof world>>): Promise<ActionRun> {
  const env = path === 'default-chain' ? { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey } : {};
  // The OIDC token endpoint is always reachable: a request to it would show in the log.
  return runAction(inputs, { endpoint: standin.endpoint, oidc: standin.oidc, env });
}

describe(`${rows.length} bad inputs, each refused before any request`, () => {
  it('covers every input of action.yml', async () => {
    const { parse } = await import('yaml');
    const { readFile } = await import('node:fs/promises');
    const declared = Object.keys((parse(await readFile('action.yml', 'utf8')) as { inputs: object }).inputs);
    const named = new Set(rows.map((row) => row.input));
    expect(declared.filter((input) => !named.has(input))).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(60);
  });

  it.concurrent.for(rows)('$input: $name ($path)', async ({ input, path, inputs: given }, { expect }) => {
    const setup = await world();
    try {
      const inputs = inputsFor(path, given, setup);
      const run = await bounded(() => runPath(path, inputs, setup));

      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([expect.stringMatching(new RegExp(`^deactivate-iam-mfa: Input ${input} `))]);
      expect(setup.standin.requests).toEqual([]);
      expect(setup.standin.devicesOf('alice')).toHaveLength(1);
      expect(run.outputs['result']).toBe('failed');
      // Nothing but masks and the one error reaches the runner as a command: no injected ::warning::.
      expect(run.stdout.split('\n').filter((line) => line.startsWith('::') && !/^::(add-mask|error)::/.test(line))).toEqual([]);
      expect([run.files.GITHUB_ENV, run.files.GITHUB_STATE, run.files.GITHUB_PATH]).toEqual(['', '', '']);
      // The secret inputs as given (long enough not to occur by chance), and every key the stand-in holds.
      const secrets = ['mfa-token', 'aws-access-key-id', 'aws-secret-access-key'].map((name) => inputs[name] ?? '').filter((value) => value.trim().length >= 5);
      expect(leaksOf(run, [...setup.standin.issuedSecrets(), ...secrets])).toEqual([]);
      expect(maskedFirst(run, secrets)).toEqual([]);
    } finally {
      await setup.standin.close();
    }
  });
});

describe('the user name in another case (mask-user-name)', () => {
  let standin: Standin | undefined;
  afterEach(async () => {
    await standin?.close();
  });

  it('ALICE acts on alice: the name as IAM spells it is masked everywhere, and the summary shows the unique id', async () => {
    standin = await startStandin();
    const role = standin.createRole('gha-mfa-admin', { admin: true }).arn;
    const { userId } = standin.createUser('alice');
    standin.addVirtualMfa('alice', 'phone-1');
    const key = standin.addFidoKey('alice'); // its ARN names the user: arn:aws:iam::…:u2f/user/alice/…

    const run = await runAction({ 'user-name': 'ALICE', 'role-to-assume': role }, { endpoint: standin.endpoint, oidc: standin.oidc });

    expect(run.errors).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(standin.requests.map((entry) => [entry.action, entry.params['UserName']])).toEqual([
      ['GetIDToken', undefined],
      ['AssumeRoleWithWebIdentity', undefined],
      ['GetUser', 'ALICE'],
      ['ListMFADevices', 'alice'],
      ['DeactivateMFADevice', 'alice'],
      ['DeactivateMFADevice', 'alice'],
    ]);
    expect(key.serial).toContain('/alice/');
    // The runner masks what was registered before a line is printed: the input first of all, and the
    // name as IAM spells it before any line that names it (a FIDO key's ARN does).
    expect(maskedFirst(run, ['ALICE'])).toEqual([]);
    const lines = run.stdout.split('\n');
    const maskAt = lines.indexOf('::add-mask::alice');
    const printedAt = lines.flatMap((line, i) => (line.includes('alice') && i !== maskAt ? [i] : []));
    expect(maskAt).toBeGreaterThanOrEqual(0);
    expect(printedAt.length).toBeGreaterThan(0);
    expect(printedAt.filter((i) => i < maskAt)).toEqual([]);
    expect(leaksOf(run, standin.issuedSecrets())).toEqual([]);
    expect(run.summary).not.toMatch(/alice/i);
    expect(run.summary).toContain(`<code>${userId}</code>`);
  });
});

describe('keys from the default chain', () => {
  let echo: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (echo ? echo.close(resolve) : resolve(undefined)));
  });

  it('are masked before the first request, even when the endpoint echoes the Authorization header', async () => {
    // A broken or hostile endpoint: every request is refused with its own Authorization header quoted.
    echo = createServer((req, res) => {
      const body =
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n' +
        `    <Code>InvalidRequest</Code>\n    <Message>Bad header: ${req.headers.authorization ?? ''}</Message>\n  </Error>\n` +
        '  <RequestId>echo</RequestId>\n</ErrorResponse>\n';
      res.writeHead(400, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
    });
    await new Promise<void>((resolve) => echo?.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const keys = { accessKeyId: 'AKIAECHOEXAMPLE00001', secretAccessKey: 'eChOsEcReT/kEyExAmPlE+000000000000000000' };

    const run = await runAction(
      { 'user-name': 'alice' },
      { endpoint, env: { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey } },
    );

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`Credential=${keys.accessKeyId}/`); // the echo reached the log…
    expect(maskedFirst(run, [keys.accessKeyId, keys.secretAccessKey])).toEqual([]); // …after the key was masked
  });
});
