// What is retried, at which pace, and for how long: the retry strategy's decision per error and
// attempt (a table), then the same strategy inside real SDK clients whose HTTP handler answers as IAM
// and STS do, so the SDK's own retry middleware runs it and the record notes each attempt.
import { DeactivateMFADeviceCommand, DeleteVirtualMFADeviceCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { HttpResponse } from '@smithy/protocol-http';
import type { RetryErrorType } from '@smithy/types';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingChanges } from '../../src/aws/changes.ts';
import { type AwsConnector, awsConnector, retrySettings } from '../../src/aws/clients.ts';
import { MAX_ATTEMPTS, MIN_ATTEMPT_MS, maxBackoffMs, type RetryDecision, retryDecision, settlingBackoff, TableRetryStrategy } from '../../src/aws/retry.ts';
import { Deadline } from '../../src/runner/deadline.ts';

/** An error as the SDK's deserializer builds it from an AWS answer: its class name, AWS's wire code, the HTTP status. */
function answer(name: string, code: string, status: number, message = 'message'): Error {
  return Object.assign(new Error(message), { name, Code: code, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}
const network = (code: string): Error => Object.assign(new Error(`read ${code}`), { code });

const DENY =
  'User: arn:aws:sts::123456789012:assumed-role/gha-mfa-admin/gh-1 is not authorized to perform: iam:DeactivateMFADevice on resource: user root-admin with an explicit deny in an identity-based policy';

describe('retryDecision: per error and attempt', () => {
  const rows: { name: string; error: Error; sdkType?: RetryErrorType; attempt?: number; expected: RetryDecision['retry'] | RetryDecision }[] = [
    {
      name: 'Throttling',
      error: answer('Throttling', 'Throttling', 400, 'Rate exceeded'),
      expected: { retry: true, pace: 'throttling', errorType: 'THROTTLING', maxDelayMs: 1000 },
    },
    {
      name: 'Throttling, 4th retry',
      error: answer('Throttling', 'Throttling', 400),
      attempt: 4,
      expected: { retry: true, pace: 'throttling', errorType: 'THROTTLING', maxDelayMs: 8000 },
    },
    {
      name: 'Throttling, attempts used up',
      error: answer('Throttling', 'Throttling', 400),
      attempt: MAX_ATTEMPTS,
      expected: { retry: false, why: 'attempts' },
    },
    {
      name: "IAM's LimitExceeded (throttling)",
      error: answer('LimitExceededException', 'LimitExceeded', 409),
      expected: { retry: true, pace: 'throttling', errorType: 'THROTTLING', maxDelayMs: 1000 },
    },
    {
      name: 'ServiceFailure',
      error: answer('ServiceFailureException', 'ServiceFailure', 500),
      expected: { retry: true, pace: 'transient', errorType: 'TRANSIENT', maxDelayMs: 50 },
    },
    {
      name: 'InternalFailure',
      error: answer('InternalFailure', 'InternalFailure', 500),
      expected: { retry: true, pace: 'transient', errorType: 'TRANSIENT', maxDelayMs: 50 },
    },
    {
      name: 'ServiceUnavailable',
      error: answer('ServiceUnavailable', 'ServiceUnavailable', 503),
      expected: { retry: true, pace: 'transient', errorType: 'TRANSIENT', maxDelayMs: 50 },
    },
    { name: 'a reset connection', error: network('ECONNRESET'), expected: { retry: true, pace: 'transient', errorType: 'TRANSIENT', maxDelayMs: 50 } },
    {
      name: 'a timeout',
      error: Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
      expected: { retry: true, pace: 'transient', errorType: 'TRANSIENT', maxDelayMs: 50 },
    },
    ...[1, 2, 3, 4].map((attempt) => ({
      name: `EntityTemporarilyUnmodifiable, attempt ${attempt}`,
      error: answer('EntityTemporarilyUnmodifiableException', 'EntityTemporarilyUnmodifiable', 409),
      attempt,
      expected: { retry: true, pace: 'settling', errorType: 'TRANSIENT', maxDelayMs: [1000, 2000, 4000, 8000][attempt - 1] ?? 0 } as const,
    })),
    {
      name: 'EntityTemporarilyUnmodifiable, attempt 5',
      error: answer('EntityTemporarilyUnmodifiableException', 'EntityTemporarilyUnmodifiable', 409),
      attempt: 5,
      expected: { retry: false, why: 'attempts' },
    },
    { name: 'ConcurrentModification', error: answer('ConcurrentModificationException', 'ConcurrentModification', 409), expected: true },
    { name: 'DeleteConflict', error: answer('DeleteConflictException', 'DeleteConflict', 409, 'MFA device is still in use.'), expected: true },
    { name: 'IDPCommunicationError', error: answer('IDPCommunicationErrorException', 'IDPCommunicationError', 400), expected: true },
    {
      name: "InvalidIdentityToken: Couldn't retrieve verification key",
      error: answer(
        'InvalidIdentityTokenException',
        'InvalidIdentityToken',
        400,
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
      ),
      expected: { retry: true, pace: 'settling', errorType: 'TRANSIENT', maxDelayMs: 1000 },
    },
    {
      name: 'InvalidIdentityToken: no provider',
      error: answer(
        'InvalidIdentityTokenException',
        'InvalidIdentityToken',
        400,
        'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
      ),
      expected: false,
    },
    { name: 'ExpiredTokenException', error: answer('ExpiredTokenException', 'ExpiredTokenException', 400, 'Token expired'), expected: false },
    { name: 'RegionDisabledException', error: answer('RegionDisabledException', 'RegionDisabledException', 403), expected: false },
    { name: 'an explicit deny', error: answer('AccessDenied', 'AccessDenied', 403, DENY), expected: false },
    { name: 'NoSuchEntity', error: answer('NoSuchEntityException', 'NoSuchEntity', 404), expected: false },
    {
      name: 'a wrong MFA code',
      error: answer('AccessDenied', 'AccessDenied', 403, 'MultiFactorAuthentication failed with invalid MFA one time pass code. '),
      expected: false,
    },
    { name: 'SignatureDoesNotMatch', error: answer('SignatureDoesNotMatch', 'SignatureDoesNotMatch', 403), expected: false },
    {
      name: 'SignatureDoesNotMatch after the SDK corrected its clock: once',
      error: Object.assign(answer('SignatureDoesNotMatch', 'SignatureDoesNotMatch', 403), { $metadata: { httpStatusCode: 403, clockSkewCorrected: true } }),
      expected: { retry: true, pace: 'transient', errorType: 'TRANSIENT', maxDelayMs: 50 },
    },
    {
      name: 'SignatureDoesNotMatch after the SDK corrected its clock: not twice',
      error: Object.assign(answer('SignatureDoesNotMatch', 'SignatureDoesNotMatch', 403), { $metadata: { httpStatusCode: 403, clockSkewCorrected: true } }),
      attempt: 2,
      expected: false,
    },
    // An answer the table has no row for keeps the SDK's own decision.
    { name: 'an unknown code the SDK calls transient (502)', error: answer('BadGateway', 'BadGateway', 502), sdkType: 'TRANSIENT', expected: true },
    { name: 'an unknown client error', error: answer('SomethingNew', 'SomethingNew', 400), sdkType: 'CLIENT_ERROR', expected: false },
  ];
  it.each(rows)('$name', ({ error, sdkType = 'CLIENT_ERROR', attempt = 1, expected }) => {
    const decision = retryDecision({ error, sdkType, attempt, maxAttempts: MAX_ATTEMPTS, remainingMs: 120_000, retryAfter: false });
    if (typeof expected === 'boolean') expect(decision.retry).toBe(expected);
    else expect(decision).toEqual(expected);
  });

  it('GetSessionToken (one attempt): never, whatever the error', () => {
    for (const error of [answer('Throttling', 'Throttling', 400), network('ECONNRESET'), answer('ServiceFailureException', 'ServiceFailure', 500)]) {
      expect(retryDecision({ error, sdkType: 'TRANSIENT', attempt: 1, maxAttempts: 1, remainingMs: 120_000, retryAfter: false })).toEqual({
        retry: false,
        why: 'attempts',
      });
    }
  });

  it.each([
    { attempt: 1, remainingMs: 1000 + MIN_ATTEMPT_MS, retry: true },
    { attempt: 1, remainingMs: 1000 + MIN_ATTEMPT_MS - 1, retry: false },
    { attempt: 3, remainingMs: 4000 + MIN_ATTEMPT_MS, retry: true },
    { attempt: 3, remainingMs: 4000 + MIN_ATTEMPT_MS - 1, retry: false },
  ])('within the deadline: a settling retry after attempt $attempt with $remainingMs ms left: $retry', ({ attempt, remainingMs, retry }) => {
    const error = answer('ConcurrentModificationException', 'ConcurrentModification', 409);
    const decision = retryDecision({ error, sdkType: 'CLIENT_ERROR', attempt, maxAttempts: MAX_ATTEMPTS, remainingMs, retryAfter: false });
    expect(decision).toMatchObject(retry ? { retry: true } : { retry: false, why: 'deadline' });
  });

  it("Retry-After may add 5 s to the SDK's wait: that must fit too", () => {
    const error = answer('Throttling', 'Throttling', 400);
    expect(retryDecision({ error, sdkType: 'THROTTLING', attempt: 1, maxAttempts: 5, remainingMs: 6_000, retryAfter: true })).toEqual({
      retry: false,
      why: 'deadline',
    });
    expect(retryDecision({ error, sdkType: 'THROTTLING', attempt: 1, maxAttempts: 5, remainingMs: 7_000, retryAfter: true }).retry).toBe(true);
  });
});

describe("the action's clients use the strategy", () => {
  it('IAM and STS: the table strategy, 5 attempts; STS with retries off (GetSessionToken): 1', async () => {
    const deadline = new Deadline(60);
    const aws = awsConnector('us-east-1', deadline);
    for (const client of [aws.iam(), aws.sts()]) {
      expect(await client.config.retryStrategy()).toBeInstanceOf(TableRetryStrategy);
      expect(await client.config.maxAttempts()).toBe(MAX_ATTEMPTS);
    }
    const once = aws.sts(undefined, { retries: false });
    expect(await once.config.maxAttempts()).toBe(1);
    expect(await ((await once.config.retryStrategy()) as TableRetryStrategy).maxAttempts()).toBe(1);
    deadline.end();
  });
});

describe('backoff', () => {
  it.each([
    { pace: 'settling', delays: [1000, 2000, 4000, 8000, 8000] },
    { pace: 'throttling', delays: [1000, 2000, 4000, 8000, 16000, 20000] },
    { pace: 'transient', delays: [50, 100, 200, 400] },
  ] as const)('$pace waits at most $delays ms', ({ pace, delays }) => {
    expect(delays.map((_, retries) => maxBackoffMs(pace, retries))).toEqual(delays);
  });

  it('settling waits between half and all of its step (jitter, never near zero)', () => {
    expect([0, 1, 2, 3].map((retries) => settlingBackoff(() => 0).computeNextBackoffDelay(retries))).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map((retries) => settlingBackoff(() => 0.999999).computeNextBackoffDelay(retries))).toEqual([999, 1999, 3999, 7999]);
  });
});

// ---------------------------------------------------------------------------------------------
// Real clients: the SDK's retry middleware runs the strategy; the HTTP handler answers as AWS does.

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const errorXml = (ns: string, code: string, message: string): string =>
  `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-${code}</RequestId></ErrorResponse>`;
const okXml = (operation: string): string =>
  `<${operation}Response xmlns="${IAM_NS}"><ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></${operation}Response>`;
const ASSUMED = `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NS}"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`;

type Answer = [status: number, body: string];

/** An HTTP handler that gives these answers in turn (the last one again once they run out), and counts requests. */
function answering(answers: Answer[]) {
  let sent = 0;
  return {
    sent: () => sent,
    handle: async () => {
      const [status, body] = answers[Math.min(sent++, answers.length - 1)] ?? [500, ''];
      const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${sent}` };
      return { response: new HttpResponse({ statusCode: status, headers, body: Readable.from([Buffer.from(body)]) }) };
    },
  };
}

const KEYS = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'secretsecretsecretsecretsecretsecret0000' };

/** A connector of real clients over the answering handler, with the action's retry settings and its recording of calls. */
function connector(handler: ReturnType<typeof answering>, remainingMs = 120_000) {
  const deadline = { remainingMs: () => remainingMs };
  const base: AwsConnector = {
    iam: () => new IAMClient({ region: 'us-east-1', credentials: KEYS, requestHandler: handler, ...retrySettings(deadline) }),
    sts: (_credentials, options) =>
      new STSClient({ region: 'us-east-1', credentials: KEYS, requestHandler: handler, ...retrySettings(deadline, options?.retries ?? true) }),
  };
  return recordingChanges(base);
}

/** Sends with fake timers, running the backoff waits instantly; returns the outcome and the virtual time it took. */
async function settle<T>(work: () => Promise<T>): Promise<{ value?: T; error?: { name: string; $metadata: { attempts?: number } }; waitedMs: number }> {
  const start = Date.now();
  const outcome = work().then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as { name: string; $metadata: { attempts?: number } } }),
  );
  let settled = false;
  void outcome.then(() => (settled = true));
  // The first request of a process loads parts of the SDK from disk (real I/O, not a timer): yield to it, then run the waits.
  for (let turn = 0; !settled && turn < 1000; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    await vi.runAllTimersAsync();
  }
  return { ...(await outcome), waitedMs: Date.now() - start };
}

describe('inside the SDK: what is absorbed, what is reported, and what the record notes', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());
  const deactivate = new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: 'GAHT12345678' });

  it.each([
    { code: 'EntityTemporarilyUnmodifiable', status: 409 },
    { code: 'ConcurrentModification', status: 409 },
    { code: 'ServiceFailure', status: 500 },
    { code: 'Throttling', status: 400 },
    { code: 'LimitExceeded', status: 409 },
  ])('DeactivateMFADevice: $code once is absorbed, and the record says so', async ({ code, status }) => {
    const handler = answering([
      [status, errorXml(IAM_NS, code, 'try later')],
      [200, okXml('DeactivateMFADevice')],
    ]);
    const { aws, changes, retried } = connector(handler);
    const { value, error } = await settle(() => aws.iam().send(deactivate));
    expect(error).toBeUndefined();
    expect(value?.$metadata.attempts).toBe(2);
    expect(handler.sent()).toBe(2);
    expect(changes()).toEqual([{ operation: 'DeactivateMFADevice', serial: 'GAHT12345678', requestId: 'req-2', outcome: 'ok', attempts: 2 }]);
    expect(retried()).toEqual([{ call: 'iam:DeactivateMFADevice', serial: 'GAHT12345678', attempts: [code, 'ok'], waitedMs: expect.any(Number) }]);
  });

  it('EntityTemporarilyUnmodifiable persistently: 5 attempts over 1+2+4+8 s at most (at least half), then the error', async () => {
    const handler = answering([[409, errorXml(IAM_NS, 'EntityTemporarilyUnmodifiable', 'busy')]]);
    const { aws, retried } = connector(handler);
    const { error, waitedMs } = await settle(() => aws.iam().send(deactivate));
    expect(error?.name).toBe('EntityTemporarilyUnmodifiableException');
    expect(error?.$metadata.attempts).toBe(MAX_ATTEMPTS);
    expect(handler.sent()).toBe(MAX_ATTEMPTS);
    expect(waitedMs).toBeGreaterThanOrEqual(7_500);
    expect(waitedMs).toBeLessThanOrEqual(15_000);
    expect(retried()[0]?.attempts).toEqual(Array(MAX_ATTEMPTS).fill('EntityTemporarilyUnmodifiable'));
  });

  it('DeleteVirtualMFADevice right after a deactivation: DeleteConflict twice, then deleted', async () => {
    const handler = answering([
      [409, errorXml(IAM_NS, 'DeleteConflict', 'MFA device is still in use.')],
      [409, errorXml(IAM_NS, 'DeleteConflict', 'MFA device is still in use.')],
      [200, okXml('DeleteVirtualMFADevice')],
    ]);
    const { aws, retried } = connector(handler);
    const { error, waitedMs } = await settle(() => aws.iam().send(new DeleteVirtualMFADeviceCommand({ SerialNumber: 'arn:aws:iam::123456789012:mfa/alice' })));
    expect(error).toBeUndefined();
    expect(waitedMs).toBeGreaterThanOrEqual(1_500);
    expect(retried()[0]?.attempts).toEqual(['DeleteConflict', 'DeleteConflict', 'ok']);
  });

  it.each([
    { name: 'an explicit deny', code: 'AccessDenied', message: DENY, status: 403 },
    { name: 'NoSuchEntity', code: 'NoSuchEntity', message: 'MFA Device not found', status: 404 },
    { name: 'ValidationError', code: 'ValidationError', message: 'bad serial', status: 400 },
  ])('$name: one attempt, reported as it came, and no retried call', async ({ code, message, status }) => {
    const handler = answering([[status, errorXml(IAM_NS, code, message)]]);
    const { aws, retried, changes } = connector(handler);
    const { error } = await settle(() => aws.iam().send(deactivate));
    expect(error?.$metadata.attempts).toBe(1);
    expect(handler.sent()).toBe(1);
    expect(retried()).toEqual([]);
    expect(changes()[0]).toMatchObject({ outcome: code, attempts: 1 });
  });

  it('a settling retry that would not fit before the deadline is not started', async () => {
    const handler = answering([[409, errorXml(IAM_NS, 'ConcurrentModification', 'busy')]]);
    const { aws } = connector(handler, 1_500);
    const { error } = await settle(() => aws.iam().send(deactivate));
    expect(error?.$metadata.attempts).toBe(1);
  });

  const assume = new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'gh-1', WebIdentityToken: 'token' });

  it.each([
    {
      name: "InvalidIdentityToken: Couldn't retrieve verification key",
      code: 'InvalidIdentityToken',
      message: "Couldn't retrieve verification key from your identity provider",
    },
    { name: 'IDPCommunicationError', code: 'IDPCommunicationError', message: 'Could not contact the identity provider' },
  ])('AssumeRoleWithWebIdentity: $name once is absorbed', async ({ code, message }) => {
    const handler = answering([
      [400, errorXml(STS_NS, code, message)],
      [200, ASSUMED],
    ]);
    const { aws, retried } = connector(handler);
    const { value } = await settle(() => aws.sts().send(assume));
    expect(value?.Credentials?.AccessKeyId).toBe('ASIAEXAMPLE');
    expect(retried()).toEqual([{ call: 'sts:AssumeRoleWithWebIdentity', serial: '', attempts: [code, 'ok'], waitedMs: expect.any(Number) }]);
  });

  it('AssumeRoleWithWebIdentity: a real trust-policy refusal is not retried', async () => {
    const handler = answering([[403, errorXml(STS_NS, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity')]]);
    const { aws } = connector(handler);
    const { error } = await settle(() => aws.sts().send(assume));
    expect(error?.$metadata.attempts).toBe(1);
  });

  it('with retries off (GetSessionToken carries the code): exactly one attempt, even when throttled', async () => {
    const handler = answering([[400, errorXml(STS_NS, 'Throttling', 'Rate exceeded')]]);
    const { aws } = connector(handler);
    const { error } = await settle(() => aws.sts(KEYS, { retries: false }).send(assume));
    expect(error?.$metadata.attempts).toBe(1);
    expect(handler.sent()).toBe(1);
  });
});
