import { DeactivateMFADeviceCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from './index.ts';
import type { Standin } from './index.ts';
import { failure, iamAs, stsAs } from './sdk.ts';
import type { Keys } from './sdk.ts';

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
});
