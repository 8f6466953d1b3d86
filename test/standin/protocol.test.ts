// The wire: AWS's XML shapes, protocol errors, the runner-like OIDC endpoint, and the AWS CLI.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { getIDToken } from '@actions/core';
import { ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from '../../standin/index.ts';
import type { Standin } from '../../standin/index.ts';
import { failure, iamAs, rawResponse, signedRequest } from '../../standin/sdk.ts';
import { AWS_CLI, requireAwsCli } from '../setup/warm-aws.ts';
import type { Keys } from '../../standin/sdk.ts';

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

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function post(body: string): Promise<{ status: number; body: string }> {
  const response = await fetch(standin.endpoint, { method: 'POST', headers: FORM, body });
  return { status: response.status, body: await response.text() };
}

const raw = (keys: Keys, command: ListMFADevicesCommand) => rawResponse(iamAs(standin, keys), command);

describe('Query protocol XML', () => {
  it("answers in AWS's success shape, indented as AWS indents it, with a request id in body and header", async () => {
    const { status, headers, body } = await raw(alice, new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/xml');
    const date = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';
    const match = new RegExp(
      '^<ListMFADevicesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\\n' +
        '  <ListMFADevicesResult>\\n' +
        '    <IsTruncated>false</IsTruncated>\\n' +
        '    <MFADevices>\\n' +
        devices
          .map(
            (serial) =>
              `      <member>\\n        <UserName>alice</UserName>\\n        <SerialNumber>${serial}</SerialNumber>\\n` +
              `        <EnableDate>${date}</EnableDate>\\n      </member>\\n`,
          )
          .join('') +
        '    </MFADevices>\\n' +
        '  </ListMFADevicesResult>\\n' +
        `  <ResponseMetadata>\\n    <RequestId>(${UUID})</RequestId>\\n  </ResponseMetadata>\\n` +
        '</ListMFADevicesResponse>\\n$',
    ).exec(body);
    expect(match, body).not.toBeNull();
    expect(headers['x-amzn-requestid']).toBe(match?.[1]);
    // STS-only header.
    expect(headers['x-amz-sts-extended-request-id']).toBeUndefined();
  });

  it('writes an empty list as a self-closing element, which the SDK reads as an empty list', async () => {
    standin.createUser('bob');
    const { body } = await raw(alice, new ListMFADevicesCommand({ UserName: 'bob' }));
    expect(body).toContain('    <MFADevices/>\n');
    expect((await iamAs(standin, alice).send(new ListMFADevicesCommand({ UserName: 'bob' }))).MFADevices).toEqual([]);
  });

  it("answers errors in AWS's ErrorResponse shape, escaping &, < and > but not quotes", async () => {
    const { status, headers, body } = await raw(alice, new ListMFADevicesCommand({ UserName: 'o\'<b>&"' }));
    expect(status).toBe(400);
    const match = new RegExp(
      '^<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\\n' +
        '  <Error>\\n    <Type>Sender</Type>\\n    <Code>ValidationError</Code>\\n    <Message>([^<]*)</Message>\\n  </Error>\\n' +
        `  <RequestId>(${UUID})</RequestId>\\n</ErrorResponse>\\n$`,
    ).exec(body);
    expect(match, body).not.toBeNull();
    // As captured from STS: `Value 'x' at 'userName'`, apostrophes as they are.
    expect(match?.[1]).toContain(`Value 'o'&lt;b&gt;&amp;"' at 'userName'`);
    expect(headers['x-amzn-requestid']).toBe(match?.[2]);
    // And the SDK reads the escaped message back to the original text.
    expect((await failure(iamAs(standin, alice).send(new ListMFADevicesCommand({ UserName: "o'<b>&" })))).message).toContain("Value 'o'<b>&'");
  });

  it('answers InvalidAction in the AWSFault namespace for an unknown or empty action and a wrong or missing version', async () => {
    const invalid = (message: string) =>
      '<ErrorResponse xmlns="http://webservices.amazon.com/AWSFault/2005-15-09">\n' +
      `  <Error>\n    <Type>Sender</Type>\n    <Code>InvalidAction</Code>\n    <Message>${message}</Message>\n  </Error>\n`;
    for (const [body, message] of [
      ['Action=ListUsersPlease&Version=2010-05-08', 'Could not find operation ListUsersPlease for version 2010-05-08'],
      ['Action=GetSessionToken&Version=2010-05-08', 'Could not find operation GetSessionToken for version 2010-05-08'],
      ['Action=toString&Version=2010-05-08', 'Could not find operation toString for version 2010-05-08'],
      ['Action=GetCallerIdentity', 'Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED'],
      ['Action=GetCallerIdentity&Version=', 'Could not find operation GetCallerIdentity for version '],
      ['Action=&Version=2011-06-15', 'Could not find operation  for version 2011-06-15'],
    ] as const) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect(response.body, body).toContain(invalid(message));
    }
  });

  it('redirects a request without Action to the product page, as AWS does, also when the body is not form-encoded', async () => {
    for (const [url, init, location] of [
      [standin.endpoint, { method: 'POST', headers: FORM, body: 'Version=2011-06-15' }, 'https://aws.amazon.com/iam'],
      [`${standin.endpoint}/?Version=2011-06-15`, { method: 'GET' }, 'https://aws.amazon.com/iam?Version=2011-06-15'],
      // No form content type: AWS does not read the body, so it holds no Action.
      [standin.endpoint, { method: 'POST', body: 'Action=GetCallerIdentity&Version=2011-06-15' }, 'https://aws.amazon.com/iam'],
    ] as const) {
      const response = await fetch(url, { ...init, redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(location);
      expect(response.headers.get('x-amzn-requestid')).toMatch(new RegExp(`^${UUID}$`));
      expect(await response.text()).toBe('');
    }
    expect(standin.requests.map((entry) => `${entry.outcome}:${entry.status}`)).toEqual(['redirect:302', 'redirect:302', 'redirect:302']);
  });

  it('reads a form body with + for spaces and percent escapes, with or without a charset', async () => {
    const response = await signedRequest(standin, { keys: alice, body: 'Action=ListMFADevices&Version=2010-05-08&UserName=a+b%21%2B' });
    expect(response.text).toContain("Value 'a b!+' at 'userName'");
    const plain = await fetch(standin.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'Application/X-WWW-Form-URLEncoded' },
      body: 'Action=ListMFADevices&Version=2010-05-08',
    });
    expect(await plain.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('takes the first of a repeated parameter, as AWS does', async () => {
    const first = await post('Action=ListMFADevices&Action=ListUsersPlease&Version=2010-05-08&Version=2000-01-01');
    // Unsigned, so refused at authentication: the action and version were accepted.
    expect(first.body).toContain('<Code>MissingAuthenticationToken</Code>');
    expect((await post('Action=ListUsersPlease&Action=ListMFADevices&Version=2010-05-08')).body).toContain(
      'Could not find operation ListUsersPlease for version 2010-05-08',
    );
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
      for (const [name, value] of [
        ['ACTIONS_ID_TOKEN_REQUEST_URL', saved.url],
        ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', saved.token],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('AWS CLI', () => {
  it('iam list-mfa-devices verifies (CLI signing) and parses, following the Marker page by page', async (context) => {
    requireAwsCli(context.skip);
    const { stdout } = await promisify(execFile)(
      AWS_CLI,
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
