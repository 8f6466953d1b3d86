// Test helper: the real AWS SDK v3 clients pointed at a stand-in, and a way to catch their errors.
import { Readable } from 'node:stream';
import { IAMClient } from '@aws-sdk/client-iam';
import { type Credentials, STSClient } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Standin } from './index.ts';

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The keys of temporary credentials STS returned (AssumeRole…, GetSessionToken). */
export function keysOf(credentials: Credentials | undefined): Keys {
  return { accessKeyId: credentials!.AccessKeyId!, secretAccessKey: credentials!.SecretAccessKey!, sessionToken: credentials!.SessionToken! };
}

interface ClientOptions {
  maxAttempts?: number;
  /** Match a moved stand-in clock, as an SDK does once it has seen the service's Date header. */
  systemClockOffset?: number;
}

function config(standin: Standin, keys: Keys | undefined, options: ClientOptions) {
  return {
    endpoint: standin.endpoint,
    region: 'us-east-1',
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.systemClockOffset !== undefined && { systemClockOffset: options.systemClockOffset }),
    // No keys: a provider that fails, so an unsigned call proves it never needed any.
    credentials: keys ?? (async () => Promise.reject(new Error('no credentials in this test'))),
  };
}

export function iamAs(standin: Standin, keys: Keys, options: ClientOptions = {}): IAMClient {
  return new IAMClient(config(standin, keys, options));
}

export function stsAs(standin: Standin, keys?: Keys, options: ClientOptions = {}): STSClient {
  return new STSClient(config(standin, keys, options));
}

export interface CaughtError {
  name: string;
  message: string;
  status: number | undefined;
  code?: string;
}

/** The rejection of `promise`, in the fields tests compare; fails the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<CaughtError> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, ...(e.code !== undefined && { code: e.code }) };
  }
  throw new Error('expected the call to fail, it succeeded');
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Send `command` and capture the raw HTTP response the SDK received; the SDK still parses it (its result is ignored). */
export async function rawResponse(client: IAMClient | STSClient, command: object): Promise<RawResponse> {
  let captured: RawResponse | undefined;
  // Both clients' stacks take the same middleware; the union's signatures just do not unify.
  (client.middlewareStack as IAMClient['middlewareStack']).add(
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
  await (client.send as (command: unknown) => Promise<unknown>).call(client, command).catch(() => undefined);
  if (!captured) throw new Error('no response captured');
  return captured;
}

export interface SignOptions {
  keys: Keys;
  /** Form body (POST), or with `method: 'GET'` the query string. */
  body: string;
  method?: 'POST' | 'GET';
  service?: string;
  /** Sign with x-amz-content-sha256 as the SDK does (the CLI does not). */
  contentSha?: boolean;
  /** Replace the body after signing. */
  sendBody?: string;
  extraSignedHeaders?: Record<string, string>;
}

/** Sign like a real client with @smithy/signature-v4, then send with fetch (which adds unsigned headers of its own). */
export async function signedRequest(standin: Standin, options: SignOptions): Promise<{ status: number; headers: Headers; text: string }> {
  const url = new URL(standin.endpoint);
  const method = options.method ?? 'POST';
  const signer = new SignatureV4({
    service: options.service ?? 'iam',
    region: 'us-east-1',
    credentials: options.keys,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.contentSha ?? false,
  });
  const query = method === 'GET' ? Object.fromEntries(new URLSearchParams(options.body)) : {};
  const request = await signer.sign(
    new HttpRequest({
      method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query,
      headers: {
        host: url.host,
        ...(method === 'POST' && { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }),
        ...options.extraSignedHeaders,
      },
      ...(method === 'POST' && { body: options.body }),
    }),
  );
  const headers = { ...(request.headers as Record<string, string>) };
  delete headers['host'];
  const target = method === 'GET' ? `${standin.endpoint}/?${options.body}` : standin.endpoint;
  const response = await fetch(target, { method, headers, ...(method === 'POST' && { body: options.sendBody ?? options.body }) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
