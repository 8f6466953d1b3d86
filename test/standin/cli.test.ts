// The CLI as `npm run standin` runs it: Node 24 executing the .ts directly.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeactivateMFADeviceCommand } from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { DemoData } from '../../standin/demo-data.ts';
import type { Standin } from '../../standin/index.ts';
import { iamAs, stsAs } from '../../standin/sdk.ts';
import { totpCode } from '../../standin/totp.ts';

const NODE24 = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
const CLI = fileURLToPath(new URL('../../standin/cli.ts', import.meta.url));

describe('cli.ts', () => {
  it('prints the demo as one JSON line, serves it, logs redacted requests, and exits 0 on SIGTERM', async () => {
    expect(existsSync(NODE24), 'node 24 from the "node" dev dependency').toBe(true);
    const child = spawn(NODE24, [CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      while (!stdout.includes('\n')) {
        if (child.exitCode !== null) throw new Error(`cli exited early: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const demo = JSON.parse(stdout.split('\n')[0]!) as DemoData;
      expect(demo).toMatchObject({
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        accountId: '123456789012',
        role: { arn: 'arn:aws:iam::123456789012:role/gha-mfa-admin', subject: 'repo:octo/app:*' },
        oidc: { requestUrl: `${demo.endpoint}/_oidc/token?api-version=2.0`, requestToken: expect.any(String) },
      });
      expect(demo.users.alice.devices.map((device) => device.kind)).toEqual(['virtual', 'hardware']);
      expect(demo.users.bob.devices).toHaveLength(1);

      // Bob steps up with his own device and deactivates it, against the CLI's server.
      const target = { endpoint: demo.endpoint } as Standin;
      const { serial, seed } = demo.users.bob.devices[0]!;
      const code = totpCode(seed, Date.now());
      const { Credentials } = await stsAs(target, demo.users.bob).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code }));
      await iamAs(target, {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      }).send(new DeactivateMFADeviceCommand({ UserName: 'bob', SerialNumber: serial }));

      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stderr).toContain('"action":"GetSessionToken"');
      expect(stderr).toContain('"TokenCode":"***"');
      expect(stderr).not.toContain(code);
      expect(stderr).not.toContain(demo.users.bob.secretAccessKey);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual([0, null]);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  }, 20_000);
});
