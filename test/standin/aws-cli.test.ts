// The by-hand flow this action replaces, done with the real AWS CLI against the stand-in: list,
// deactivate (refused without MFA), get-session-token with a code, retry with the session. A
// second client, with its own signer and parser, agreeing with the stand-in's wire format.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Standin, startStandin } from '../../standin/index.ts';
import { otpauthUri, qrCodePng } from '../../standin/qr.ts';
import { AWS_CLI, requireAwsCli, type WarmAwsCli, warmAwsCli } from '../setup/warm-aws.ts';

// The same CLI, imported once and forked per call.
let warm: WarmAwsCli;
beforeAll(async () => {
  warm = await warmAwsCli(AWS_CLI);
});
afterAll(() => warm.close());

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin();
});
afterEach(async () => {
  await standin.close();
});

interface CliResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

const aws = (credentials: Record<string, string>, ...args: string[]): Promise<CliResult> => awsWith(join(warm.bin, 'aws'), credentials, ...args);

async function awsWith(cli: string, credentials: Record<string, string>, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cli, ['--endpoint-url', standin.endpoint, '--region', 'us-east-1', '--output', 'json', ...args], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: process.env['HOME'] ?? '/tmp',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
        ...credentials,
      },
    });
    return { ok: true, stdout, stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('AWS CLI v2 against the stand-in', () => {
  it('the warm CLI answers as the CLI started afresh does, each call in its own environment', async (context) => {
    requireAwsCli(context.skip);
    standin.createUser('bob');
    standin.addVirtualMfa('bob', 'bob-phone');
    const keys = standin.createAccessKey('bob');
    const asBob = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
    const calls: [Record<string, string>, string[]][] = [
      [asBob, ['iam', 'list-mfa-devices', '--user-name', 'bob']],
      // A session token left from an earlier call would make this one fail.
      [{ ...asBob, AWS_SESSION_TOKEN: 'not-a-token' }, ['sts', 'get-caller-identity']],
      [asBob, ['sts', 'get-caller-identity']],
      [{ ...asBob, AWS_SECRET_ACCESS_KEY: 'wrong' }, ['iam', 'list-mfa-devices']],
    ];
    for (const [credentials, args] of calls) {
      const warmAnswer = await aws(credentials, ...args);
      expect(warmAnswer, args.join(' ')).toEqual(await awsWith(AWS_CLI, credentials, ...args));
    }
    expect(standin.requests.map((entry) => entry.outcome)).toEqual([
      'ok',
      'ok',
      'InvalidClientTokenId',
      'InvalidClientTokenId',
      'ok',
      'ok',
      'SignatureDoesNotMatch',
      'SignatureDoesNotMatch',
    ]);
  });

  it('runs the manual self-service reset: refused, get-session-token, retried with the session', async (context) => {
    requireAwsCli(context.skip);
    standin.createUser('bob', { requireMfaForSelf: true });
    const keys = standin.createAccessKey('bob');
    const { serial, seed } = standin.addVirtualMfa('bob', 'bob-phone');
    const asBob = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };

    const listed = await aws(asBob, 'iam', 'list-mfa-devices');
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout).MFADevices).toEqual([{ UserName: 'bob', SerialNumber: serial, EnableDate: expect.any(String) }]);

    const refused = await aws(asBob, 'iam', 'deactivate-mfa-device', '--user-name', 'bob', '--serial-number', serial);
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toContain(
      'An error occurred (AccessDenied) when calling the DeactivateMFADevice operation: To complete this action, please ensure that you are authenticated with an MFA device that is enabled for this user.',
    );

    const code = standin.totp(seed);
    const session = await aws(asBob, 'sts', 'get-session-token', '--serial-number', serial, '--token-code', code, '--duration-seconds', '900');
    expect(session.stderr).toBe('');
    const { Credentials } = JSON.parse(session.stdout) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
    };
    expect(Credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(Date.parse(Credentials.Expiration) - Date.now()).toBeGreaterThan(800_000);

    // A code is good once, even within its 30 seconds.
    const again = await aws(asBob, 'sts', 'get-session-token', '--serial-number', serial, '--token-code', code);
    expect(again.stderr).toContain(
      'An error occurred (AccessDenied) when calling the GetSessionToken operation: MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );

    const asSession = {
      AWS_ACCESS_KEY_ID: Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: Credentials.SessionToken,
    };
    const identity = await aws(asSession, 'sts', 'get-caller-identity');
    expect(JSON.parse(identity.stdout)).toMatchObject({ Account: standin.accountId, Arn: `arn:aws:iam::${standin.accountId}:user/bob` });
    const retried = await aws(asSession, 'iam', 'deactivate-mfa-device', '--user-name', 'bob', '--serial-number', serial);
    expect(retried).toEqual({ ok: true, stdout: '', stderr: '' });
    expect(standin.devicesOf('bob')).toEqual([]);

    const fromSession = await aws(asSession, 'sts', 'get-session-token');
    expect(fromSession.stderr).toContain('Cannot call GetSessionToken with session credentials');
  }, 60_000);

  it('rejects a wrong secret and an unknown key the way AWS does', async (context) => {
    requireAwsCli(context.skip);
    standin.createUser('bob');
    const keys = standin.createAccessKey('bob');

    const wrongSecret = await aws({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: `${keys.secretAccessKey}x` }, 'iam', 'list-mfa-devices');
    expect(wrongSecret.stderr).toContain('An error occurred (SignatureDoesNotMatch) when calling the ListMFADevices operation');
    const unknownKey = await aws({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }, 'iam', 'list-mfa-devices');
    expect(unknownKey.stderr).toContain(
      'An error occurred (InvalidClientTokenId) when calling the ListMFADevices operation: The security token included in the request is invalid',
    );
  }, 60_000);

  it('writes the QR code of a new virtual device to a file, as the CLI does with QRCodePNG', async (context) => {
    requireAwsCli(context.skip);
    standin.createUser('root', { admin: true });
    const keys = standin.createAccessKey('root');
    const asRoot = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
    const dir = await mkdtemp(join(tmpdir(), 'standin-cli-'));
    try {
      const outfile = join(dir, 'qr.png');
      const created = await aws(
        asRoot,
        'iam',
        'create-virtual-mfa-device',
        '--virtual-mfa-device-name',
        'cli-phone',
        '--bootstrap-method',
        'QRCodePNG',
        '--outfile',
        outfile,
      );
      expect(created.stderr).toBe('');
      expect(JSON.parse(created.stdout)).toEqual({ VirtualMFADevice: { SerialNumber: `arn:aws:iam::${standin.accountId}:mfa/cli-phone` } });
      const png = await readFile(outfile);
      const seeds = standin.issuedSecrets().filter((secret) => /^[A-Z2-7]{64}$/.test(secret));
      const matching = [];
      for (const seed of seeds) if (png.equals(await qrCodePng(otpauthUri('cli-phone', standin.accountId, seed)))) matching.push(seed);
      expect(matching).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('assumes a role with a GitHub OIDC token (an unsigned call)', async (context) => {
    requireAwsCli(context.skip);
    const { arn } = standin.createRole('gha-mfa-admin', { admin: true, subject: 'repo:octo/app:*' });
    const token = await standin.oidc.issueToken();

    const assumed = await aws(
      {},
      'sts',
      'assume-role-with-web-identity',
      '--role-arn',
      arn,
      '--role-session-name',
      'gh-octocat-1-1',
      '--web-identity-token',
      token,
    );

    expect(assumed.stderr).toBe('');
    expect(JSON.parse(assumed.stdout)).toMatchObject({
      AssumedRoleUser: { Arn: `arn:aws:sts::${standin.accountId}:assumed-role/gha-mfa-admin/gh-octocat-1-1` },
      Credentials: { AccessKeyId: expect.stringMatching(/^ASIA/) },
    });
  }, 60_000);
});
