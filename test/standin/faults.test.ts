import { DeactivateMFADeviceCommand, IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from '../../standin/index.ts';
import type { Standin } from '../../standin/index.ts';
import { failure, iamAs, stsAs } from '../../standin/sdk.ts';
import type { Keys } from '../../standin/sdk.ts';

let standin: Standin;
let admin: Keys;
let serial: string;

beforeEach(async () => {
  standin = await startStandin();
  standin.createUser('admin', { admin: true });
  admin = standin.createAccessKey('admin');
  standin.createUser('alice');
  serial = standin.addVirtualMfa('alice', 'alice-phone').serial;
});
afterEach(async () => {
  await standin.close();
});

const deactivate = () => new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial });
const outcomes = () => standin.requests.map((r) => `${r.action}:${r.outcome}:${r.status}${r.fault ? `:${r.fault}` : ''}`);

describe('faults on demand', () => {
  it('throttles the named action only, as often as asked, and the SDK retries it', async () => {
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'throttle', times: 1 });
    await iamAs(standin, admin).send(new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(await failure(iamAs(standin, admin).send(deactivate()))).toEqual({ name: 'Throttling', status: 400, message: 'Rate exceeded' });
    expect(standin.devicesOf('alice')).toEqual([serial]);

    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'throttle', times: 2 });
    await iamAs(standin, admin, { maxAttempts: 3 }).send(deactivate());
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(outcomes()).toEqual([
      'ListMFADevices:ok:200',
      'DeactivateMFADevice:Throttling:400:throttle',
      'DeactivateMFADevice:Throttling:400:throttle',
      'DeactivateMFADevice:Throttling:400:throttle',
      'DeactivateMFADevice:ok:200',
    ]);
  });

  it('answers ServiceFailure (500, Receiver)', async () => {
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'service-failure' });
    expect(await failure(iamAs(standin, admin).send(deactivate()))).toEqual({
      name: 'ServiceFailureException',
      status: 500,
      // The IAM API reference's description of ServiceFailure.
      message: 'The request processing has failed because of an unknown error, exception or failure.',
    });
    expect(standin.devicesOf('alice')).toEqual([serial]);
  });

  it('resets the connection without processing', async () => {
    standin.faults.inject({ action: '*', kind: 'reset' });
    const error = await failure(iamAs(standin, admin).send(deactivate()));
    expect(error.code ?? error.message).toMatch(/ECONNRESET|socket hang up/);
    expect(standin.devicesOf('alice')).toEqual([serial]);
    expect(outcomes()).toEqual(['DeactivateMFADevice:reset:0:reset']);
  });

  it('answers slowly', async () => {
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'slow', delayMs: 400 });
    const started = Date.now();
    await iamAs(standin, admin).send(deactivate());
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(standin.devicesOf('alice')).toEqual([]);
  });

  it('loses the response after processing: a resent GetSessionToken spends its code twice', async () => {
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    const phone = standin.addVirtualMfa('bob', 'bob-phone');
    standin.faults.inject({ action: 'GetSessionToken', kind: 'lose-response' });
    const sts = stsAs(standin, bob, { maxAttempts: 2 });
    const error = await failure(sts.send(new GetSessionTokenCommand({ SerialNumber: phone.serial, TokenCode: standin.totp(phone.seed) })));
    expect(error).toEqual({ name: 'AccessDenied', status: 403, message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' });
    expect(outcomes()).toEqual(['GetSessionToken:ok:0:lose-response', 'GetSessionToken:AccessDenied:403']);
  });

  it('clears pending faults', async () => {
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'throttle', times: 5 });
    standin.faults.clear();
    await iamAs(standin, admin).send(deactivate());
    expect(outcomes()).toEqual(['DeactivateMFADevice:ok:200']);
  });

  it('lets `after` requests through first, then hits', async () => {
    standin.faults.inject({ action: 'ListMFADevices', kind: 'throttle', after: 1 });
    const iam = iamAs(standin, admin);
    await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(await failure(iam.send(new ListMFADevicesCommand({ UserName: 'alice' })))).toMatchObject({ name: 'Throttling' });
    expect(outcomes()).toEqual(['ListMFADevices:ok:200', 'ListMFADevices:Throttling:400:throttle']);
  });

  it('answers a chosen error, message and all, without processing', async () => {
    const message = 'line one\n\n::warning::injected <b>x</b>';
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'error', error: { code: 'AccessDenied', status: 403, message } });
    expect(await failure(iamAs(standin, admin).send(deactivate()))).toEqual({ name: 'AccessDenied', status: 403, message });
    expect(standin.devicesOf('alice')).toEqual([serial]);
  });

  it('a black hole accepts the request and never answers: only a client timeout ends it', async () => {
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'black-hole' });
    const iam = new IAMClient({
      endpoint: standin.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: admin,
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    expect(await failure(iam.send(deactivate()))).toMatchObject({ name: 'TimeoutError' });
    expect(standin.devicesOf('alice')).toEqual([serial]);
    expect(outcomes()).toEqual(['DeactivateMFADevice:black-hole:0:black-hole']);
  });

  it('drips the answer a byte at a time after sending its headers', async () => {
    standin.faults.inject({ action: 'ListMFADevices', kind: 'drip', delayMs: 1 });
    const page = await iamAs(standin, admin).send(new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(page.MFADevices?.map((device) => device.SerialNumber)).toEqual([serial]);
    expect(outcomes()).toEqual(['ListMFADevices:ok:200:drip']);
  });

  it('repeats the Marker it was given, with IsTruncated, for as long as asked', async () => {
    standin.faults.inject({ action: 'ListMFADevices', kind: 'repeat-marker', times: 2 });
    const iam = iamAs(standin, admin);
    const first = await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }));
    const second = await iam.send(new ListMFADevicesCommand({ UserName: 'alice', Marker: first.Marker }));
    expect([first.IsTruncated, second.IsTruncated, second.Marker]).toEqual([true, true, first.Marker]);
  });

  it('holds a request until released, telling the test when it is held', async () => {
    let release = (): void => {};
    const until = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'hold', until, onHit: () => (held = true) });
    const pending = iamAs(standin, admin).send(deactivate());
    while (!held) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(standin.devicesOf('alice')).toEqual([serial]);
    release();
    await pending;
    expect(standin.devicesOf('alice')).toEqual([]);
  });
});
