// SigV4 verification against hand-made requests: the cases the SDK itself never produces.
import { ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from '../../standin/index.ts';
import type { Standin } from '../../standin/index.ts';
import { failure, iamAs, signedRequest, stsAs } from '../../standin/sdk.ts';
import type { Keys, SignOptions } from '../../standin/sdk.ts';
import { parseAmzDate } from '../../standin/sigv4.ts';

let standin: Standin;
let alice: Keys;

beforeEach(async () => {
  standin = await startStandin();
  standin.createUser('alice', { admin: true });
  alice = standin.createAccessKey('alice');
});
afterEach(async () => {
  await standin.close();
});

/** Sign as alice unless other keys are given. */
const signedPost = (options: Omit<SignOptions, 'keys'> & { keys?: Keys }) => signedRequest(standin, { keys: alice, ...options });

const LIST = 'Action=ListMFADevices&Version=2010-05-08&UserName=alice';

function code(text: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
}

describe('SigV4 verification', () => {
  it('accepts a request signed like the CLI: no payload hash header, unsigned headers added after signing', async () => {
    const response = await signedPost({ body: LIST });
    expect(response.status).toBe(200);
    expect(response.text).toContain('<ListMFADevicesResponse');
  });

  it('accepts a request signed like the SDK, with x-amz-content-sha256 signed', async () => {
    expect((await signedPost({ body: LIST, contentSha: true })).status).toBe(200);
  });

  it('refuses a body swapped for another of the same length after signing', async () => {
    const swapped = LIST.replace('alice', 'alicf');
    expect(swapped).toHaveLength(LIST.length);
    for (const contentSha of [false, true]) {
      const response = await signedPost({ body: LIST, sendBody: swapped, contentSha });
      expect(response.status).toBe(403);
      expect(code(response.text)).toBe('SignatureDoesNotMatch');
    }
  });

  it('refuses a wrong secret with SignatureDoesNotMatch, also through the SDK', async () => {
    // Change the last character (a random secret ends in x one time in 64).
    const wrong = {
      accessKeyId: alice.accessKeyId,
      secretAccessKey: `${alice.secretAccessKey.slice(0, -1)}${alice.secretAccessKey.endsWith('x') ? 'y' : 'x'}`,
    };
    expect(code((await signedPost({ body: LIST, keys: wrong })).text)).toBe('SignatureDoesNotMatch');
    expect(await failure(iamAs(standin, wrong).send(new ListMFADevicesCommand({ UserName: 'alice' })))).toEqual({
      name: 'SignatureDoesNotMatch',
      status: 403,
      message:
        'The request signature we calculated does not match the signature you provided. ' +
        'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
  });

  it('refuses an unknown access key with InvalidClientTokenId', async () => {
    const unknown = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: alice.secretAccessKey };
    expect(await failure(stsAs(standin, unknown).send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
  });

  it('refuses a session token that was not issued with that access key', async () => {
    const withToken = { ...alice, sessionToken: 'IQoJb3JpZ2luX2VjEMadeUp' };
    expect((await failure(stsAs(standin, withToken).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');

    const sts = stsAs(standin, alice);
    const [first, second] = await Promise.all([sts.send(new GetSessionTokenCommand({})), sts.send(new GetSessionTokenCommand({}))]);
    const mixed = {
      accessKeyId: first.Credentials!.AccessKeyId!,
      secretAccessKey: first.Credentials!.SecretAccessKey!,
      sessionToken: second.Credentials!.SessionToken!,
    };
    expect(await failure(stsAs(standin, mixed).send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
    const { sessionToken: _, ...withoutToken } = mixed;
    expect((await failure(stsAs(standin, withoutToken).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
  });

  it('refuses a signature scoped to the other service', async () => {
    const response = await signedPost({ body: LIST, service: 'sts' });
    expect(response.status).toBe(403);
    expect(response.text).toContain("<Code>SignatureDoesNotMatch</Code>\n    <Message>Credential should be scoped to correct service: 'iam'. </Message>");
  });

  it('refuses a signed header whose value changed in transit', async () => {
    const url = new URL(standin.endpoint);
    const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials: alice, sha256: Hash.bind(null, 'sha256') });
    const request = await signer.sign(
      new HttpRequest({
        method: 'POST',
        hostname: url.hostname,
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded', 'x-amz-user-agent': 'a' },
        body: LIST,
      }),
    );
    const headers = { ...(request.headers as Record<string, string>) };
    delete headers['host'];
    expect((await fetch(standin.endpoint, { method: 'POST', headers, body: LIST })).status).toBe(200);
    const changed = await fetch(standin.endpoint, { method: 'POST', headers: { ...headers, 'x-amz-user-agent': 'b' }, body: LIST });
    expect(code(await changed.text())).toBe('SignatureDoesNotMatch');
  });

  it('accepts a GET with the parameters in the query string, as AWS does', async () => {
    const response = await signedPost({ method: 'GET', body: LIST });
    expect(response.status).toBe(200);
    expect(response.text).toContain('<ListMFADevicesResponse');
  });

  it('parses x-amz-date by hand', () => {
    expect(parseAmzDate('20240229T235959Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(parseAmzDate('2024-02-29T23:59:59Z')).toBeUndefined();
  });
});

/** A POST of LIST with a hand-written Authorization header, and x-amz-date unless it is null. */
async function withAuthorization(authorization: string, amzDate: string | null = amzNow()): Promise<{ status: number; code?: string; message?: string }> {
  const response = await fetch(standin.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization, ...(amzDate !== null && { 'x-amz-date': amzDate }) },
    body: LIST,
  });
  const text = await response.text();
  return {
    status: response.status,
    ...(code(text) !== undefined && { code: code(text)! }),
    ...(/<Message>([^<]*)<\/Message>/.test(text) && { message: /<Message>([^<]*)<\/Message>/.exec(text)![1]! }),
  };
}

function amzNow(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

// The front end's checks, in its order and words (captured from DynamoDB, which shares it, in dynalite's notes).
describe('malformed Authorization headers', () => {
  const today = () => amzNow().slice(0, 8);
  const credential = (scope = `${today()}/us-east-1/iam/aws4_request`) => `Credential=${alice.accessKeyId}/${scope}`;
  const SIGNATURE = `Signature=${'0'.repeat(64)}`;

  it('needs an AWS4 Authorization header at all', async () => {
    expect(await withAuthorization('Bearer abc')).toMatchObject({
      status: 403,
      code: 'MissingAuthenticationToken',
      message: 'Request is missing Authentication Token',
    });
  });

  it('names every missing part at once, the date header among them', async () => {
    const authorization = `AWS4-HMAC-SHA256 ${credential()}`;
    expect(await withAuthorization(authorization, null)).toEqual({
      status: 400,
      code: 'IncompleteSignature',
      message:
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        `Authorization=${authorization}`,
    });
  });

  it('refuses a date not in the ISO-8601 basic format', async () => {
    expect(await withAuthorization(`AWS4-HMAC-SHA256 ${credential()}, SignedHeaders=host, ${SIGNATURE}`, '2024-01-01T00:00:00Z')).toEqual({
      status: 400,
      code: 'IncompleteSignature',
      message: "Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    });
  });

  it('checks the 15-minute window before it looks the key up', async () => {
    const unknownKey = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/${today()}/us-east-1/iam/aws4_request, SignedHeaders=host, ${SIGNATURE}`;
    const stale = await withAuthorization(unknownKey, amzNow(-20 * 60_000));
    expect(stale).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(stale.message).toMatch(/^Signature expired: /);
  });

  it('needs host among the signed headers', async () => {
    expect(await withAuthorization(`AWS4-HMAC-SHA256 ${credential()}, SignedHeaders=x-amz-date, ${SIGNATURE}`)).toEqual({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  it('names an unsupported algorithm', async () => {
    expect(await withAuthorization(`AWS4-HMAC-SHA512 ${credential()}, SignedHeaders=host, ${SIGNATURE}`)).toEqual({
      status: 400,
      code: 'IncompleteSignature',
      message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
    });
  });

  it('needs five credential elements, then the right service, terminator and date, named together', async () => {
    expect(await withAuthorization(`AWS4-HMAC-SHA256 ${credential(`${today()}/us-east-1/iam`)}, SignedHeaders=host, ${SIGNATURE}`)).toEqual({
      status: 400,
      code: 'IncompleteSignature',
      message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${alice.accessKeyId}/${today()}/us-east-1/iam'`,
    });
    const amzDate = amzNow();
    expect(await withAuthorization(`AWS4-HMAC-SHA256 ${credential('20200101/us-east-1/sts/aws5_request')}, SignedHeaders=host, ${SIGNATURE}`, amzDate)).toEqual(
      {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message:
          "Credential should be scoped to correct service: 'iam'. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
          `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20200101' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      },
    );
  });
});
