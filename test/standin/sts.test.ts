import { DeactivateMFADeviceCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from '../../standin/index.ts';
import type { Standin } from '../../standin/index.ts';
import { failure, iamAs, keysOf, rawResponse, signedRequest, stsAs } from '../../standin/sdk.ts';
import type { Keys } from '../../standin/sdk.ts';

let standin: Standin;
let bob: Keys;
let phone: { serial: string; seed: string };

beforeEach(async () => {
  standin = await startStandin();
  standin.createUser('bob');
  bob = standin.createAccessKey('bob');
  phone = standin.addVirtualMfa('bob', 'bob-phone');
});
afterEach(async () => {
  await standin.close();
});

const INVALID_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';
const INVALID_SERIAL =
  'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.';

describe('GetCallerIdentity', () => {
  it('names the user of a long-term key', async () => {
    expect(await stsAs(standin, bob).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:user/bob',
      UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
    });
  });

  it('refuses an unsigned call', async () => {
    const response = await fetch(standin.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>\n    <Message>Request is missing Authentication Token</Message>');
  });

  it("answers byte for byte in STS's captured shape: Arn, UserId, Account, and STS's extended request id header", async () => {
    const { status, headers, body } = await rawResponse(stsAs(standin, bob), new GetCallerIdentityCommand({}));
    expect(status).toBe(200);
    const match = new RegExp(
      '^<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\\n' +
        '  <GetCallerIdentityResult>\\n' +
        '    <Arn>arn:aws:iam::123456789012:user/bob</Arn>\\n' +
        '    <UserId>AIDA[A-Z2-7]{17}</UserId>\\n' +
        '    <Account>123456789012</Account>\\n' +
        '  </GetCallerIdentityResult>\\n' +
        '  <ResponseMetadata>\\n    <RequestId>([0-9a-f-]{36})</RequestId>\\n  </ResponseMetadata>\\n' +
        '</GetCallerIdentityResponse>\\n$',
    ).exec(body);
    expect(match, body).not.toBeNull();
    expect(headers['x-amzn-requestid']).toBe(match?.[1]);
    expect(Buffer.from(headers['x-amz-sts-extended-request-id'] ?? '', 'base64').toString()).toMatch(/^1:us-east-1:S:\d{13}:R:[A-Z2-7]{8}$/);
  });
});

describe('GetSessionToken', () => {
  it('returns MFA-authenticated session credentials for a valid code', async () => {
    const { Credentials } = await stsAs(standin, bob).send(
      new GetSessionTokenCommand({ SerialNumber: phone.serial, TokenCode: standin.totp(phone.seed), DurationSeconds: 900 }),
    );
    expect(Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Credentials?.SecretAccessKey).toHaveLength(40);
    expect(Credentials?.SessionToken?.length).toBeGreaterThan(100);
    expect(Credentials!.Expiration!.getTime() - standin.clock.now()).toBeGreaterThan(895_000);
    expect(Credentials!.Expiration!.getTime() - standin.clock.now()).toBeLessThanOrEqual(900_000);

    const session = keysOf(Credentials);
    expect((await stsAs(standin, session).send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::123456789012:user/bob');
    expect(standin.requests.at(-1)).toMatchObject({ mfa: true, accessKeyId: session.accessKeyId });
    expect(standin.issuedSecrets()).toEqual(expect.arrayContaining([session.secretAccessKey, session.sessionToken, phone.seed, bob.secretAccessKey]));
  });

  it('refuses session credentials, from a previous GetSessionToken or from a role', async () => {
    const { Credentials } = await stsAs(standin, bob).send(new GetSessionTokenCommand({}));
    const error = await failure(
      stsAs(standin, keysOf(Credentials)).send(new GetSessionTokenCommand({ SerialNumber: phone.serial, TokenCode: standin.totp(phone.seed) })),
    );
    expect(error).toEqual({ name: 'AccessDenied', status: 403, message: 'Cannot call GetSessionToken with session credentials' });

    const role = standin.createRole('deployer', { admin: true });
    const assumed = await stsAs(standin).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: role.arn, RoleSessionName: 'gh-octocat-1-1', WebIdentityToken: await standin.oidc.issueToken() }),
    );
    expect((await failure(stsAs(standin, keysOf(assumed.Credentials)).send(new GetSessionTokenCommand({})))).message).toBe(
      'Cannot call GetSessionToken with session credentials',
    );
  });

  it("refuses a serial that is not the caller's TOTP device: another user's, unknown, or a FIDO key", async () => {
    standin.createUser('alice');
    const alicePhone = standin.addVirtualMfa('alice', 'alice-phone');
    const fido = standin.addFidoKey('bob');
    const sts = stsAs(standin, bob);
    for (const [serial, code] of [
      [alicePhone.serial, standin.totp(alicePhone.seed)],
      ['arn:aws:iam::123456789012:mfa/nobody', '123456'],
      [fido.serial, '123456'],
    ] as const) {
      expect(await failure(sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code })))).toEqual({
        name: 'AccessDenied',
        status: 403,
        message: INVALID_SERIAL,
      });
    }
  });

  it('refuses a wrong code, an expired code and a code used once already', async () => {
    const sts = stsAs(standin, bob);
    const now = standin.clock.now();
    const code = standin.totp(phone.seed, now);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const expired = standin.totp(phone.seed, now - 90_000);
    for (const tokenCode of [wrong, expired]) {
      expect(await failure(sts.send(new GetSessionTokenCommand({ SerialNumber: phone.serial, TokenCode: tokenCode })))).toEqual({
        name: 'AccessDenied',
        status: 403,
        message: INVALID_CODE,
      });
    }
    await sts.send(new GetSessionTokenCommand({ SerialNumber: phone.serial, TokenCode: code }));
    expect((await failure(sts.send(new GetSessionTokenCommand({ SerialNumber: phone.serial, TokenCode: code })))).message).toBe(INVALID_CODE);
    // One step of skew either way is accepted.
    expect(standin.totp(phone.seed, now + 30_000)).not.toBe(code);
    await sts.send(new GetSessionTokenCommand({ SerialNumber: phone.serial, TokenCode: standin.totp(phone.seed, now + 30_000) }));
  });

  it('refuses a code once the clock has moved past its window', async () => {
    const code = standin.totp(phone.seed);
    standin.clock.advance(95_000);
    const sts = stsAs(standin, bob, { systemClockOffset: standin.clock.offsetMs });
    expect((await failure(sts.send(new GetSessionTokenCommand({ SerialNumber: phone.serial, TokenCode: code })))).message).toBe(INVALID_CODE);
  });

  it('validates DurationSeconds and TokenCode', async () => {
    const error = await failure(
      stsAs(standin, bob).send(new GetSessionTokenCommand({ DurationSeconds: 899, SerialNumber: phone.serial, TokenCode: '12ab56' })),
    );
    expect(error).toEqual({
      name: 'ValidationError',
      status: 400,
      message:
        "2 validation errors detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900; " +
        "Value '12ab56' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*",
    });
  });

  it('answers MalformedInput, without a Message, for a DurationSeconds that is no 32-bit integer; takes +900 and 0900', async () => {
    const send = (duration: string) =>
      signedRequest(standin, { keys: bob, service: 'sts', body: `Action=GetSessionToken&Version=2011-06-15&DurationSeconds=${encodeURIComponent(duration)}` });
    for (const duration of ['abc', '900.0', '2147483648', '-2147483649']) {
      const response = await send(duration);
      expect(response.status, duration).toBe(400);
      expect(response.text, duration).toContain('  <Error>\n    <Type>Sender</Type>\n    <Code>MalformedInput</Code>\n  </Error>\n');
    }
    expect((await send('')).text).toContain('<Code>MalformedInput</Code>\n    <Message>missing value for decimal type</Message>');
    expect((await send('-1')).text).toContain(
      "<Message>1 validation error detected: Value '-1' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900</Message>",
    );
    for (const duration of ['+900', '0900']) {
      const response = await send(duration);
      expect(response.status, duration).toBe(200);
      const expiration = Date.parse(/<Expiration>([^<]+)<\/Expiration>/.exec(response.text)![1]!);
      expect(Math.round((expiration - standin.clock.now()) / 1000)).toBeGreaterThanOrEqual(899);
      expect(Math.round((expiration - standin.clock.now()) / 1000)).toBeLessThanOrEqual(900);
    }
  });

  it("prints STS's own SerialNumber pattern, which allows the empty string", async () => {
    const error = await failure(stsAs(standin, bob).send(new GetSessionTokenCommand({ SerialNumber: 'not a serial', TokenCode: '123456' })));
    expect(error.message).toBe(
      "1 validation error detected: Value 'not a serial' at 'serialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=/:,.@-]*",
    );
  });

  it('expires session credentials with the clock', async () => {
    const { Credentials } = await stsAs(standin, bob).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    standin.clock.advance(901_000);
    const sts = stsAs(standin, keysOf(Credentials), { systemClockOffset: standin.clock.offsetMs });
    expect(await failure(sts.send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'ExpiredToken',
      status: 403,
      message: 'The security token included in the request is expired',
    });
    // A client whose clock was not corrected signs 15 minutes in the service's past.
    const stale = await failure(stsAs(standin, bob).send(new GetCallerIdentityCommand({})));
    expect(stale.name).toBe('SignatureDoesNotMatch');
    expect(stale.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });
});

describe('AssumeRoleWithWebIdentity', () => {
  let roleArn: string;
  beforeEach(() => {
    roleArn = standin.createRole('gha-mfa-admin', { admin: true, subject: 'repo:octo/app:*' }).arn;
  });

  const assume = async (token: string, overrides: { RoleArn?: string; RoleSessionName?: string; DurationSeconds?: number } = {}) =>
    stsAs(standin).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'gh-octocat-4242-1', WebIdentityToken: token, ...overrides }),
    );

  it('is called unsigned and returns role session credentials that act as the role', async () => {
    const result = await assume(await standin.oidc.issueToken());
    expect(result).toMatchObject({
      SubjectFromWebIdentityToken: 'repo:octo/app:ref:refs/heads/main',
      Audience: 'sts.amazonaws.com',
      Provider: `arn:aws:iam::123456789012:oidc-provider/${standin.endpoint.replace('http://', '')}/_oidc`,
      AssumedRoleUser: {
        Arn: 'arn:aws:sts::123456789012:assumed-role/gha-mfa-admin/gh-octocat-4242-1',
        AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:gh-octocat-4242-1$/),
      },
    });
    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(standin.requests.at(-1)).toMatchObject({ action: 'AssumeRoleWithWebIdentity', identity: 'anonymous', outcome: 'ok' });
    expect(standin.requests.at(-1)?.accessKeyId).toBeUndefined();

    const role = keysOf(result.Credentials);
    expect((await stsAs(standin, role).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      'arn:aws:sts::123456789012:assumed-role/gha-mfa-admin/gh-octocat-4242-1',
    );
    standin.createUser('alice');
    const { serial } = standin.addVirtualMfa('alice', 'alice-phone');
    await iamAs(standin, role).send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial }));
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(await failure(iamAs(standin, role).send(new ListMFADevicesCommand({})))).toMatchObject({
      name: 'ValidationError',
      message: 'Must specify userName when calling with non-User credentials',
    });
  });

  it('refuses a wrong audience, an untrusted subject, an expired token and a tampered token', async () => {
    expect(await failure(assume(await standin.oidc.issueToken({ aud: 'https://github.com/octo' })))).toEqual({
      name: 'InvalidIdentityTokenException',
      status: 400,
      message: 'Incorrect token audience',
    });
    expect(await failure(assume(await standin.oidc.issueToken({ sub: 'repo:evil/app:ref:refs/heads/main' })))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    });
    const now = Math.floor(standin.clock.now() / 1000);
    const expired = await failure(assume(await standin.oidc.issueToken({ iat: now - 600, nbf: now - 600, exp: now - 300 })));
    expect(expired).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
    expect(expired.message).toMatch(/^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/);

    const [header, payload, signature] = (await standin.oidc.issueToken()).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'repo:octo/app:ref:refs/heads/evil' })).toString('base64url');
    expect(await failure(assume(`${header}.${forged}.${signature}`))).toEqual({
      name: 'InvalidIdentityTokenException',
      status: 400,
      message: 'Signature verification failed',
    });
    expect((await failure(assume('not-a-jwt'))).name).toBe('InvalidIdentityTokenException');
    expect((await failure(assume(await standin.oidc.issueToken({ iss: 'https://token.actions.githubusercontent.com' })))).message).toBe(
      'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
    );
  });

  it('refuses an unknown role like an untrusted one, and validates the session name and duration', async () => {
    const token = await standin.oidc.issueToken();
    expect((await failure(assume(token, { RoleArn: 'arn:aws:iam::123456789012:role/nope' }))).message).toBe(
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
    expect(await failure(assume(token, { RoleSessionName: 'gh octocat' }))).toEqual({
      name: 'ValidationError',
      status: 400,
      message:
        "1 validation error detected: Value 'gh octocat' at 'roleSessionName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    });
    expect((await failure(assume(token, { RoleSessionName: 'x' }))).message).toContain('Member must have length greater than or equal to 2');
    expect((await failure(assume(token, { RoleSessionName: 'x'.repeat(65) }))).message).toContain('Member must have length less than or equal to 64');
    expect((await failure(assume(token, { DurationSeconds: 7200 }))).message).toBe(
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  });

  it('refuses a RoleArn that is no ARN, and checks its pattern before its length, in code points', async () => {
    const token = await standin.oidc.issueToken();
    expect(await failure(assume(token, { RoleArn: 'x'.repeat(20) }))).toEqual({
      name: 'ValidationError',
      status: 400,
      message: `${'x'.repeat(20)} is invalid`,
    });
    const pattern = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+';
    expect((await failure(assume(token, { RoleArn: '' }))).message).toBe(
      `2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}; ` +
        "Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
    // 2048 characters outside the Basic Multilingual Plane: 4096 UTF-16 units, but within the length.
    const emoji = '\u{1F600}'.repeat(2048);
    expect((await failure(assume(token, { RoleArn: emoji }))).message).toBe(
      `1 validation error detected: Value '${emoji}' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
    );
  });

  it('reports PackedPolicySize when session policies are passed, and only then', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListMFADevices', Resource: '*' }] });
    const withPolicy = await stsAs(standin).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'gh-octocat-4242-1',
        WebIdentityToken: await standin.oidc.issueToken(),
        Policy: policy,
      }),
    );
    expect(withPolicy.PackedPolicySize).toEqual(expect.any(Number));
    expect(withPolicy.PackedPolicySize).toBeGreaterThan(0);
    expect(withPolicy.PackedPolicySize).toBeLessThan(100);
    expect((await assume(await standin.oidc.issueToken())).PackedPolicySize).toBeUndefined();
  });

  it('never gives a role session MFA: an MFA-conditioned deny policy refuses it', async () => {
    const strict = standin.createRole('strict-admin', { admin: true, mfaDenyPolicy: true });
    const result = await assume(await standin.oidc.issueToken(), { RoleArn: strict.arn });
    standin.createUser('alice');
    const { serial } = standin.addVirtualMfa('alice', 'alice-phone');
    expect(
      (await failure(iamAs(standin, keysOf(result.Credentials)).send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial })))).message,
    ).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/strict-admin/gh-octocat-4242-1 is not authorized to perform: ' +
        'iam:DeactivateMFADevice on resource: user alice with an explicit deny in an identity-based policy',
    );
  });
});
