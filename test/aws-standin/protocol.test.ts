// The wire: AWS's XML shapes, protocol errors, the runner-like OIDC endpoint, and the AWS CLI.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { getIDToken } from '@actions/core';
import { ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from './index.ts';
import type { Standin } from './index.ts';
import { failure, iamAs } from './sdk.ts';
import type { Keys } from './sdk.ts';
import { escapeXml } from './xml.ts';

let standin: Standin;
let alice: Keys;
let devices: string[];

beforeEach(async () => {
  standin = await startStandin();
  standin.createUser('alice', { admin: true });
  alice = standin.createAccessKey('alice');
  devices = [standin.addVirtualMfa('alice', 'alice-phone').serial, standin.addHardwareMfa('alice', 'GAHT00000001').serial];
});
afterEach(async () => {
  await standin.close();
});

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Capture the raw response the SDK received. */
async function rawResponse(keys: Keys, command: ListMFADevicesCommand): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const client = iamAs(standin, keys);
  let captured: { status: number; headers: Record<string, string>; body: string } | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode: number; headers: Record<string, string>; body: NodeJS.ReadableStream };
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Buffer));
      const body = Buffer.concat(chunks).toString('utf8');
      captured = { status: response.statusCode, headers: response.headers, body };
      // Hand the SDK a fresh stream with the same bytes.
      (result.response as { body: unknown }).body = Readable.from([Buffer.from(body)]);
      return result;
    },
    { step: 'deserialize', name: 'captureRaw' },
  );
  await client.send(command).catch(() => undefined);
  if (!captured) throw new Error('no response captured');
  return captured;
}

describe('Query protocol XML', () => {
  it("answers in AWS's success shape with a request id in body and header", async () => {
    const { status, headers, body } = await rawResponse(alice, new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/xml');
    const match = new RegExp(
      '^<ListMFADevicesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListMFADevicesResult>' +
        '<IsTruncated>false</IsTruncated><MFADevices>' +
        devices.map((serial) => `<member><UserName>alice</UserName><SerialNumber>${serial}</SerialNumber><EnableDate>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</EnableDate></member>`).join('') +
        `</MFADevices></ListMFADevicesResult><ResponseMetadata><RequestId>(${UUID})</RequestId></ResponseMetadata></ListMFADevicesResponse>$`,
    ).exec(body);
    expect(match, body).not.toBeNull();
    expect(headers['x-amzn-requestid']).toBe(match?.[1]);
  });

  it("answers errors in AWS's ErrorResponse shape, escaping text", async () => {
    const { status, headers, body } = await rawResponse(alice, new ListMFADevicesCommand({ UserName: "o'<b>&" }));
    expect(status).toBe(400);
    const match = new RegExp(
      '^<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>ValidationError</Code>' +
        `<Message>([^<]*)</Message></Error><RequestId>(${UUID})</RequestId></ErrorResponse>$`,
    ).exec(body);
    expect(match, body).not.toBeNull();
    expect(match?.[1]).toContain(escapeXml("Value 'o'<b>&' at 'userName'"));
    expect(match?.[1]).toContain('&apos;o&apos;&lt;b&gt;&amp;&apos;');
    expect(headers['x-amzn-requestid']).toBe(match?.[2]);
    // And the SDK reads the escaped message back to the original text.
    expect((await failure(iamAs(standin, alice).send(new ListMFADevicesCommand({ UserName: "o'<b>&" })))).message).toContain("Value 'o'<b>&'");
  });

  it('answers InvalidAction for an unknown action or the wrong version, MissingAction without one', async () => {
    const post = async (body: string) => {
      const response = await fetch(standin.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      return { status: response.status, body: await response.text() };
    };
    expect(await post('Action=ListUsersPlease&Version=2010-05-08')).toMatchObject({
      status: 400,
      body: expect.stringContaining('<Code>InvalidAction</Code><Message>Could not find operation ListUsersPlease for version 2010-05-08</Message>'),
    });
    expect((await post('Action=GetSessionToken&Version=2010-05-08')).body).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">.*<Code>InvalidAction<\/Code>/,
    );
    expect((await post('Action=toString&Version=2010-05-08')).body).toContain('<Code>InvalidAction</Code>');
    expect(await post('Version=2010-05-08')).toMatchObject({ status: 400, body: expect.stringContaining('<Code>MissingAction</Code>') });
  });
});

describe('OIDC token endpoint', () => {
  it('issues a GitHub-shaped token for the request token, at the URL with &audience= appended', async () => {
    expect(new URL(standin.oidc.requestUrl).search).toBe('?api-version=2.0');
    const response = await fetch(`${standin.oidc.requestUrl}&audience=sts.amazonaws.com`, {
      headers: { authorization: `Bearer ${standin.oidc.requestToken}` },
    });
    expect(response.status).toBe(200);
    const { value } = (await response.json()) as { value: string };
    const claims = decodeJwt(value);
    expect(claims).toMatchObject({
      iss: standin.oidc.issuer,
      aud: 'sts.amazonaws.com',
      sub: 'repo:octo/app:ref:refs/heads/main',
      repository: 'octo/app',
      actor: 'octocat',
      run_id: '4242',
      jti: expect.any(String),
    });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.nbf).toBe(claims.iat);
    expect(standin.issuedSecrets()).toContain(value);
    expect(standin.requests.at(-1)).toMatchObject({ action: 'GetIDToken', service: 'oidc', params: { audience: 'sts.amazonaws.com' }, status: 200 });
  });

  it('refuses a wrong request token with 401', async () => {
    const response = await fetch(`${standin.oidc.requestUrl}&audience=sts.amazonaws.com`, { headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
    expect(standin.requests.at(-1)).toMatchObject({ action: 'GetIDToken', outcome: 'Unauthorized', status: 401 });
  });

  it('serves @actions/core getIDToken as the runner does, with claims tests can change', async () => {
    const saved = { url: process.env['ACTIONS_ID_TOKEN_REQUEST_URL'], token: process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] };
    process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] = standin.oidc.requestUrl;
    process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = standin.oidc.requestToken;
    standin.oidc.claims['sub'] = 'repo:octo/app:environment:prod';
    const write = process.stdout.write;
    // getIDToken masks the token with an ::add-mask:: command on stdout; keep it out of the test output.
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      const token = await getIDToken('sts.amazonaws.com');
      expect(decodeJwt(token)).toMatchObject({ aud: 'sts.amazonaws.com', sub: 'repo:octo/app:environment:prod' });
    } finally {
      process.stdout.write = write;
      for (const [name, value] of [['ACTIONS_ID_TOKEN_REQUEST_URL', saved.url], ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', saved.token]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('AWS CLI', () => {
  // Debian's awscli 2.x; it ignores AWS_ENDPOINT_URL, hence --endpoint-url. STANDIN_AWS_CLI may name another.
  const cli = process.env['STANDIN_AWS_CLI'] ?? '/usr/bin/aws';

  it('iam list-mfa-devices verifies (CLI signing) and parses, following the Marker page by page', async (context) => {
    if (!existsSync(cli)) context.skip(`${cli} is not installed (Debian awscli 2.x); set STANDIN_AWS_CLI to use another aws`);
    const { stdout } = await promisify(execFile)(
      cli,
      ['--endpoint-url', standin.endpoint, '--region', 'us-east-1', '--output', 'json', 'iam', 'list-mfa-devices', '--user-name', 'alice', '--page-size', '1'],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '/tmp',
          AWS_ACCESS_KEY_ID: alice.accessKeyId,
          AWS_SECRET_ACCESS_KEY: alice.secretAccessKey,
          AWS_CONFIG_FILE: '/nonexistent',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        },
      },
    );
    const listed = JSON.parse(stdout) as { MFADevices: { UserName: string; SerialNumber: string }[] };
    expect(listed.MFADevices.map((device) => device.SerialNumber)).toEqual(devices);
    expect(standin.requests.map((r) => `${r.action}:${r.outcome}:${r.params['Marker'] ? 'marker' : 'first'}`)).toEqual([
      'ListMFADevices:ok:first',
      'ListMFADevices:ok:marker',
    ]);
  }, 30_000);
});
