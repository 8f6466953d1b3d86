// Test helper: the real AWS SDK v3 clients pointed at a stand-in, and a way to catch their errors.
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { Standin } from './index.ts';

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
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
