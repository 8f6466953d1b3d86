// Bad inputs through the built dist/index.js, run as the runner runs it: what only a process shows.
// The refusal of every bad value of every input is a unit table (test/unit/bad-inputs.test.ts);
// here, one row per path proves that the process sends no request at all before the refusal (the
// OIDC token endpoint, GitHub and the default chain included), masks the secret inputs before its
// first line, and lets no workflow command through.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect } from 'vitest';
import { it } from '../fixtures/standin.ts';
import { leaksOf, maskedFirst, runAction } from '../../standin/runner.ts';

const INJECT = '::warning::injected';

interface Row {
  name: string;
  input: string;
  path: 'role' | 'keys' | 'default-chain';
  inputs: Record<string, string>;
  /** The secret inputs of the row, which must be masked before the first line. */
  secrets: (keys: { accessKeyId: string; secretAccessKey: string }) => string[];
}

const rows: Row[] = [
  {
    name: 'a user name with a line break and a workflow command, with a code',
    input: 'user-name',
    path: 'role',
    inputs: { 'user-name': `alice\n${INJECT}`, 'mfa-token': '864209' },
    secrets: () => ['864209'],
  },
  {
    name: 'a five-digit code, with the keys',
    input: 'mfa-token',
    path: 'keys',
    inputs: { 'mfa-token': '12345' },
    secrets: (keys) => ['12345', keys.accessKeyId, keys.secretAccessKey, 'alice'],
  },
  {
    name: 'the protected user listed in capitals, keys in the environment',
    input: 'user-name',
    path: 'default-chain',
    inputs: { 'protected-users': 'bob\nALICE\n' },
    secrets: () => ['alice'],
  },
  {
    name: 'a job token with a pasted line break, approvals on',
    input: 'github-token',
    path: 'role',
    inputs: { 'require-approval': 'environment', 'github-token': 'ghs_abcdefghijklmnop\n' },
    secrets: () => ['ghs_abcdefghijklmnop\n'],
  },
];

describe.concurrent('a bad input fails the process before any request', () => {
  it.for(rows)('$input: $name ($path)', async ({ input, path, inputs: given, secrets }, { standin, expect }) => {
    const role = standin.createRole('gha-mfa-admin', { admin: true }).arn;
    standin.createUser('alice', { requireMfaForSelf: false });
    standin.addVirtualMfa('alice', 'alice-phone');
    const keys = standin.createAccessKey('alice');
    const inputs: Record<string, string> = {
      'user-name': 'alice',
      ...(path === 'role' && { 'role-to-assume': role }),
      ...(path === 'keys' && { 'aws-access-key-id': keys.accessKeyId, 'aws-secret-access-key': keys.secretAccessKey }),
      ...given,
    };
    const env = path === 'default-chain' ? { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey } : {};

    // The OIDC token endpoint and GitHub are reachable: a request to either would show in the log.
    const run = await runAction(inputs, { endpoint: standin.endpoint, oidc: standin.oidc, github: { apiUrl: standin.github.apiUrl, token: '' }, env });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(new RegExp(`^deactivate-iam-mfa: Input ${input} `))]);
    expect(standin.requests).toEqual([]);
    expect(standin.devicesOf('alice')).toHaveLength(1);
    expect(run.outputs['result']).toBe('failed');
    // Nothing but masks and the one error reaches the runner as a command: no injected ::warning::.
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::') && !/^::(add-mask|error)::/.test(line))).toEqual([]);
    expect([run.files.GITHUB_ENV, run.files.GITHUB_STATE, run.files.GITHUB_PATH]).toEqual(['', '', '']);
    const masked = secrets(keys);
    expect(maskedFirst(run, masked)).toEqual([]);
    expect(leaksOf(run, [...standin.issuedSecrets(), ...masked.filter((secret) => secret.length >= 5 && secret !== 'alice')])).toEqual([]);
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
