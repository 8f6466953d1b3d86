// What bounds a run: the deadline, the per-attempt timeouts, the page guard and the timeout-seconds input.
import { IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { attemptTimeouts } from '../../src/aws/clients.ts';
import { Deadline, RunTimeoutError } from '../../src/runner/deadline.ts';
import { InputError } from '../../src/errors.ts';
import { rawInputs, readSettings } from '../../src/inputs/read.ts';
import { listMfaDevices, MAX_LIST_PAGES } from '../../src/aws/devices.ts';

describe('Deadline', () => {
  it('gives up on a call that never settles, naming it, and aborts its signal', async () => {
    const deadline = new Deadline(0.05);
    let signal: AbortSignal | undefined;
    const never = deadline.race('iam:ListMFADevices', async (given) => {
      signal = given;
      return new Promise<never>(() => {});
    });
    await expect(never).rejects.toThrow(new RunTimeoutError('iam:ListMFADevices', 0.05));
    expect(signal?.aborted).toBe(true);
  });

  it("turns the call's own abort error into the deadline's", async () => {
    const deadline = new Deadline(0.05);
    const aborting = deadline.race(
      'sts:GetSessionToken',
      (signal) =>
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })))),
    );
    await expect(aborting).rejects.toBeInstanceOf(RunTimeoutError);
  });

  it('passes results and errors through while there is time', async () => {
    const deadline = new Deadline(60);
    await expect(deadline.race('a', async () => 42)).resolves.toBe(42);
    await expect(deadline.race('b', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    deadline.end();
  });

  it('refuses to start a call once the run has ended, and aborts what is in flight', async () => {
    const deadline = new Deadline(60);
    const signal = deadline.signal;
    deadline.end();
    expect(signal.aborted).toBe(true);
    await expect(deadline.race('c', async () => 1)).rejects.toBeInstanceOf(RunTimeoutError);
  });
});

describe('attemptTimeouts', () => {
  it.each([
    { runSeconds: 120, expected: { connectionTimeout: 5_000, requestTimeout: 10_000 } },
    { runSeconds: 30, expected: { connectionTimeout: 5_000, requestTimeout: 6_000 } },
    { runSeconds: 5, expected: { connectionTimeout: 1_000, requestTimeout: 1_000 } },
  ])('$runSeconds s run', ({ runSeconds, expected }) => expect(attemptTimeouts(runSeconds)).toEqual(expected));
});

describe('listMfaDevices stops paging', () => {
  const iam = mockClient(IAMClient);
  afterEach(() => iam.reset());
  // The unit files share one module graph: give IAMClient its own send() back.
  afterAll(() => iam.restore());
  const page = (serial: string, marker?: string) => ({
    MFADevices: [{ UserName: 'alice', SerialNumber: serial, EnableDate: new Date(0) }],
    IsTruncated: marker !== undefined,
    ...(marker && { Marker: marker }),
  });

  it('follows distinct Markers to the last page', async () => {
    iam.on(ListMFADevicesCommand).callsFake((input: { Marker?: string }) => (input.Marker === undefined ? page('GAHT00000001', 'm1') : page('GAHT00000002')));
    expect((await listMfaDevices(new IAMClient({}), 'alice')).map((d) => d.serial)).toEqual(['GAHT00000001', 'GAHT00000002']);
  });

  it('on a Marker it has already seen', async () => {
    iam.on(ListMFADevicesCommand).resolves(page('GAHT00000001', 'same'));
    await expect(listMfaDevices(new IAMClient({}), 'alice')).rejects.toThrow(
      /said more devices follow but gave no new Marker to fetch them with \(a missing or repeated Marker\)/,
    );
    expect(iam.commandCalls(ListMFADevicesCommand)).toHaveLength(2);
  });

  it(`after ${MAX_LIST_PAGES} pages, each with a new Marker`, async () => {
    let n = 0;
    iam.on(ListMFADevicesCommand).callsFake(() => page(`GAHT0000000${n}`, `m${++n}`));
    await expect(listMfaDevices(new IAMClient({}), 'alice')).rejects.toThrow(/still had more devices after 10 pages/);
    expect(iam.commandCalls(ListMFADevicesCommand)).toHaveLength(MAX_LIST_PAGES);
  });

  it('on IsTruncated without a Marker', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [], IsTruncated: true });
    await expect(listMfaDevices(new IAMClient({}), 'alice')).rejects.toThrow(/said more devices follow but gave no new Marker/);
  });
});

describe('timeout-seconds', () => {
  const inputs = (value: string): Record<string, string> => ({ 'user-name': 'alice', 'timeout-seconds': value });
  const read = (value: string) =>
    readSettings(
      rawInputs((name) => inputs(value)[name] ?? ''),
      { actor: 'a', runId: 1, runAttempt: 1 },
    ).settings;
  it.each([
    { value: '', expected: 120 },
    { value: '5', expected: 5 },
    { value: '3600', expected: 3600 },
  ])('"$value" is $expected', ({ value, expected }) => expect(read(value).timeoutSeconds).toBe(expected));
  it.each(['4', '3601', '0', '-1', '1e3', '0x78', '12.5', 'ten', '١٢٠'])('"%s" is refused, naming the input', (value) => {
    expect(() => read(value)).toThrow(InputError);
    expect(() => read(value)).toThrow(/^Input timeout-seconds must be a whole number from 5 to 3600/);
  });
});

describe('Deadline.remainingMs: what the retry strategy may still spend', () => {
  it('counts down, and is 0 once the run has ended', () => {
    const deadline = new Deadline(60);
    expect(deadline.remainingMs()).toBeGreaterThan(59_000);
    expect(deadline.remainingMs()).toBeLessThanOrEqual(60_000);
    deadline.end();
    expect(deadline.remainingMs()).toBe(0);
  });

  it('is 0 once the time is up', async () => {
    const deadline = new Deadline(1, 20);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(deadline.remainingMs()).toBe(0);
  });
});
