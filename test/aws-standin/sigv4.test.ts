// SigV4 verification against hand-made requests: the cases the SDK itself never produces.
import { ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from './index.ts';
import type { Standin } from './index.ts';
import { failure, iamAs, stsAs } from './sdk.ts';
import type { Keys } from './sdk.ts';
import { parseAmzDate } from './sigv4.ts';

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

interface SignOptions {
  body: string;
  keys?: Keys;
  service?: string;
  /** Sign with x-amz-content-sha256 as the SDK does (the CLI does not). */
  contentSha?: boolean;
  /** Replace the body after signing. */
  sendBody?: string;
  extraSignedHeaders?: Record<string, string>;
}

/** Sign like a real client with @smithy/signature-v4, then send with fetch (which adds unsigned headers of its own). */
async function signedPost(options: SignOptions): Promise<{ status: number; text: string }> {
  const url = new URL(standin.endpoint);
  const keys = options.keys ?? alice;
  const signer = new SignatureV4({
    service: options.service ?? 'iam',
    region: 'us-east-1',
    credentials: keys,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.contentSha ?? false,
  });
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...options.extraSignedHeaders },
      body: options.body,
    }),
  );
  const headers = { ...(request.headers as Record<string, string>) };
  delete headers['host'];
  const response = await fetch(standin.endpoint, { method: 'POST', headers, body: options.sendBody ?? options.body });
  return { status: response.status, text: await response.text() };
}

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
    const wrong = { accessKeyId: alice.accessKeyId, secretAccessKey: `${alice.secretAccessKey.slice(0, -1)}x` };
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
    const mixed = { accessKeyId: first.Credentials!.AccessKeyId!, secretAccessKey: first.Credentials!.SecretAccessKey!, sessionToken: second.Credentials!.SessionToken! };
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
    expect(response.text).toContain("<Code>SignatureDoesNotMatch</Code><Message>Credential should be scoped to correct service: &apos;iam&apos;. </Message>");
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

  it('parses x-amz-date by hand', () => {
    expect(parseAmzDate('20240229T235959Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(parseAmzDate('2024-02-29T23:59:59Z')).toBeUndefined();
  });
});
