// Faults, in process against the stand-in, cut to the facts that differ. Per call: a persistent
// failure names that call, the outputs and summary say exactly what changed, and a second run
// finishes the job. Per client (IAM, STS, and STS with retries off for the call that carries the
// MFA code): which faults its retry absorbs. Per bound: what only the run's time limit ends; there
// the deadline ends as soon as the stand-in holds the faulted call, not after the 5 s minimum.
import { describe, expect } from 'vitest';
import type { FaultKind, FaultSpec, Standin } from '../../standin/index.ts';
import { expectNoLeaks, it, type RunResult, runInProcess, serials, summaryRow, trigger } from './harness.ts';
import { adminRole } from '../fixtures/standin.ts';

type Path = 'admin' | 'self-service';

interface World {
  user: string;
  inputs: () => Record<string, string>;
}

/** An admin role acting on alice: a virtual and a hardware device, deleting virtual ones. */
function adminWorld(standin: Standin): World {
  const role = adminRole(standin);
  standin.createUser('alice');
  standin.addVirtualMfa('alice', 'phone-1');
  standin.addHardwareMfa('alice');
  return { user: 'alice', inputs: () => ({ 'user-name': 'alice', 'role-to-assume': role, 'delete-virtual-devices': 'true', 'timeout-seconds': '5' }) };
}

/** Bob with his own keys and a live code from his own device; AWS demands MFA for his own changes. */
function selfServiceWorld(standin: Standin): World {
  standin.createUser('bob', { requireMfaForSelf: true });
  const keys = standin.createAccessKey('bob');
  const phone = standin.addVirtualMfa('bob', 'phone-1');
  return {
    user: 'bob',
    inputs: () => ({
      'user-name': 'bob',
      'aws-access-key-id': keys.accessKeyId,
      'aws-secret-access-key': keys.secretAccessKey,
      'mfa-token': standin.totp(phone.seed),
      'timeout-seconds': '5',
    }),
  };
}

const worlds: Record<Path, (standin: Standin) => World> = { admin: adminWorld, 'self-service': selfServiceWorld };

const count = (result: RunResult, action: string): number => result.requests.filter((entry) => entry.action === action).length;

/** Outputs and summary say exactly which devices changed: checked against the stand-in's own state. */
function expectExactReport(standin: Standin, world: World, before: string[], result: RunResult): void {
  const still = standin.devicesOf(world.user);
  const changed = before.filter((serial) => !still.includes(serial));
  const planned = serials(result.outputs['planned-devices']);
  expect(serials(result.outputs['deactivated-devices'])).toEqual(changed);
  expect(serials(result.outputs['remaining-devices'])).toEqual(planned.filter((serial) => still.includes(serial)));
  const deleted = serials(result.outputs['deleted-devices']);
  const virtual = standin.virtualDevices().map((device) => device.serial);
  expect(deleted.filter((serial) => virtual.includes(serial))).toEqual([]);
  for (const serial of changed) expect(summaryRow(result, serial)).toMatch(/ (deactivated|already removed)/);
  for (const serial of planned.filter((s) => still.includes(s))) expect(summaryRow(result, serial)).toMatch(/not deactivated|outcome unknown/);
}

/** The fault is gone: a second run (with a fresh code) finishes the job. */
async function expectRerunFinishes(standin: Standin, world: World): Promise<void> {
  standin.faults.clear();
  standin.clock.advance(30_000);
  const left = standin.devicesOf(world.user);
  const rerun = await runInProcess(standin, world.inputs());
  expect(rerun.failure).toBeUndefined();
  expect(standin.devicesOf(world.user)).toEqual([]);
  expect(serials(rerun.outputs['deactivated-devices'])).toEqual(left);
  expectNoLeaks(standin, rerun);
}

/** A refusal AWS answers at once and the SDK does not retry: the cheapest persistent failure. */
const REFUSED: Omit<FaultSpec, 'action'> = { kind: 'error', times: 99, error: { code: 'InvalidInput', status: 400, message: 'The request was refused.' } };

/** Each AWS call of each path; `after` lets earlier calls of the same action through. */
const CALLS: { path: Path; call: string; action: string; after?: number }[] = [
  { path: 'admin', call: 'sts:AssumeRoleWithWebIdentity', action: 'AssumeRoleWithWebIdentity' },
  { path: 'admin', call: 'iam:GetUser', action: 'GetUser' },
  { path: 'admin', call: 'iam:ListMFADevices', action: 'ListMFADevices' },
  { path: 'admin', call: 'iam:DeactivateMFADevice', action: 'DeactivateMFADevice', after: 1 },
  { path: 'admin', call: 'iam:DeleteVirtualMFADevice', action: 'DeleteVirtualMFADevice' },
  { path: 'self-service', call: 'sts:GetCallerIdentity', action: 'GetCallerIdentity' },
  { path: 'self-service', call: 'iam:GetUser', action: 'GetUser' },
  // The target is the caller: this one listing also chooses the device to step up with.
  { path: 'self-service', call: 'iam:ListMFADevices', action: 'ListMFADevices' },
  { path: 'self-service', call: 'sts:GetSessionToken', action: 'GetSessionToken' },
  { path: 'self-service', call: 'iam:DeactivateMFADevice', action: 'DeactivateMFADevice', after: 1 }, // the retry with the MFA session
];

describe.concurrent('a persistent failure of each call: names the call, reports exactly, and a rerun finishes', () => {
  it.for(CALLS)('$path: $call', async ({ path, call, action, after }, { standin }) => {
    const world = worlds[path](standin);
    const before = standin.devicesOf(world.user);
    standin.faults.inject({ action, ...REFUSED, ...(after !== undefined && { after }) });

    const result = await runInProcess(standin, world.inputs());

    expect(result.failure).toContain(call);
    expect(result.failure).toContain('InvalidInput: The request was refused.');
    expect(result.outputs['result']).toBe('failed');
    expect(count(result, 'GetSessionToken')).toBeLessThanOrEqual(1);
    expectExactReport(standin, world, before, result);
    expectNoLeaks(standin, result);
    await expectRerunFinishes(standin, world);
  });
});

describe.concurrent('a change that gets no answer: its outcome is unknown, counted as remaining', () => {
  it.for([
    {
      call: 'iam:DeactivateMFADevice',
      action: 'DeactivateMFADevice',
      after: 1,
      row: /outcome unknown, AWS gave no answer: iam:DeactivateMFADevice did not complete/,
    },
    { call: 'iam:DeleteVirtualMFADevice', action: 'DeleteVirtualMFADevice', after: 0, row: /deletion outcome unknown, AWS gave no answer/ },
  ])('$call', async ({ call, action, after, row }, { standin }) => {
    const world = adminWorld(standin);
    const [phone, token] = standin.devicesOf('alice');
    const deadline = trigger(100);
    standin.faults.inject({ action, kind: 'black-hole', times: 99, after, onHit: deadline.fire });

    const result = await runInProcess(standin, world.inputs(), { expires: deadline.fired });

    expect(result.failure).toBe(`deactivate-iam-mfa: ${call} did not complete before the run's time limit ran out (timeout-seconds: 5).`);
    const unknown = action === 'DeactivateMFADevice' ? token : phone;
    expect(summaryRow(result, unknown ?? '')).toMatch(row);
    expect(result.summary).toContain('A device marked &#34;outcome unknown&#34; got no answer from AWS');
    if (action === 'DeactivateMFADevice') expect(serials(result.outputs['remaining-devices'])).toEqual([token]);
    else expect(serials(result.outputs['deleted-devices'])).toEqual([]);
  });
});

const ABSORBED: { fault: FaultKind; delayMs?: number }[] = [
  { fault: 'throttle' },
  { fault: 'service-failure' },
  { fault: 'reset' },
  // Slower than usual but within an attempt's 1 s: never a failure.
  { fault: 'slow', delayMs: 300 },
  // Never answers: the attempt's timeout (1 s at timeout-seconds: 5) ends it, and the retry succeeds.
  { fault: 'black-hole' },
];

describe.concurrent("a transient fault once: the SDK's retry absorbs it, on IAM and on STS", () => {
  const rows = ABSORBED.flatMap(({ fault, delayMs }) => [
    { path: 'admin' as const, action: 'DeactivateMFADevice', after: 1, fault, delayMs },
    { path: 'self-service' as const, action: 'GetCallerIdentity', after: 0, fault, delayMs },
  ]);
  it.for(rows)('$path: $action $fault', async ({ path, action, after, fault, delayMs }, { standin }) => {
    const world = worlds[path](standin);
    standin.faults.inject({ action, kind: fault, after, ...(delayMs !== undefined && { delayMs }) });

    const result = await runInProcess(standin, world.inputs());

    expect(result.failure).toBeUndefined();
    expect(result.requests.some((entry) => entry.action === action && entry.fault === fault)).toBe(true);
    expect(standin.devicesOf(world.user)).toEqual([]);
    expect(result.outputs['result']).toBe('deactivated');
    expectNoLeaks(standin, result);
  });
});

describe.concurrent('GetSessionToken carries the code: sent once, never retried, whatever the fault', () => {
  it.for([
    { fault: 'throttle' as const, message: /GetSessionToken did not complete \(.*Throttling.*\)\. It is not retried, because the code may already be spent/ },
    { fault: 'service-failure' as const, message: /GetSessionToken did not complete \(.*InternalFailure.*\)\. It is not retried/ },
    { fault: 'reset' as const, message: /GetSessionToken did not complete .*It is not retried/ },
    { fault: 'lose-response' as const, message: /GetSessionToken did not complete .*It is not retried/ },
    { fault: 'black-hole' as const, message: /GetSessionToken did not complete .*It is not retried/ },
  ])('$fault', async ({ fault, message }, { standin }) => {
    const world = selfServiceWorld(standin);
    const before = standin.devicesOf('bob');
    standin.faults.inject({ action: 'GetSessionToken', kind: fault });

    const result = await runInProcess(standin, world.inputs());

    expect(result.failure).toMatch(message);
    expect(result.failure).toContain('dispatch the workflow again with a fresh code');
    expect(count(result, 'GetSessionToken')).toBe(1);
    expect(standin.devicesOf('bob')).toEqual(before);
    expect(result.outputs).toMatchObject({ result: 'failed', 'deactivated-devices': '[]', 'step-up-used': 'false' });
    expectNoLeaks(standin, result);
    await expectRerunFinishes(standin, world);
  });
});

describe.concurrent('what bounds a call that never ends', () => {
  it("a retried call that keeps failing stops after the SDK's 5 attempts, and says so", async ({ standin }) => {
    const world = adminWorld(standin);
    standin.faults.inject({ action: 'ListMFADevices', kind: 'service-failure', times: 99 });

    // Room for the SDK's back-off (at most 0.2 + 0.4 + 0.8 + 1.6 s) on a busy machine.
    const result = await runInProcess(standin, { ...world.inputs(), 'timeout-seconds': '30' });

    expect(result.failure).toMatch(/^deactivate-iam-mfa: iam:ListMFADevices failed after 5 attempts: ServiceFailure/);
    expect(count(result, 'ListMFADevices')).toBe(5);
    expect(count(result, 'DeactivateMFADevice')).toBe(0);
  });

  it('an IAM endpoint that never answers: the run ends at its time limit, naming the call', async ({ standin }) => {
    const world = adminWorld(standin);
    const deadline = trigger(100);
    standin.faults.inject({ action: 'ListMFADevices', kind: 'black-hole', times: 99, onHit: deadline.fire });

    const result = await runInProcess(standin, world.inputs(), { expires: deadline.fired });

    expect(result.failure).toBe("deactivate-iam-mfa: iam:ListMFADevices did not complete before the run's time limit ran out (timeout-seconds: 5).");
    expect(result.outputs['result']).toBe('failed');
    expect(count(result, 'DeactivateMFADevice')).toBe(0);
  });

  it('an OIDC token endpoint that never answers', async ({ standin }) => {
    const world = adminWorld(standin);
    const deadline = trigger(100);
    standin.faults.inject({ action: 'GetIDToken', kind: 'black-hole', times: 99, onHit: deadline.fire });

    const result = await runInProcess(standin, world.inputs(), { expires: deadline.fired });

    expect(result.failure).toBe("deactivate-iam-mfa: the GitHub OIDC token request did not complete before the run's time limit ran out (timeout-seconds: 5).");
    expect(count(result, 'AssumeRoleWithWebIdentity')).toBe(0);
  });

  it('an answer that drips one byte at a time (no idle timeout fires): the run ends at its time limit, the outcome unknown', async ({ standin }) => {
    const world = adminWorld(standin);
    const [phone, token] = standin.devicesOf('alice');
    // The deadline ends while the answer drips: later than the 1 s an idle timeout would have needed.
    const deadline = trigger(1_500);
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'drip', delayMs: 100, after: 1, times: 99, onHit: deadline.fire });

    const result = await runInProcess(standin, world.inputs(), { expires: deadline.fired });

    expect(result.failure).toBe("deactivate-iam-mfa: iam:DeactivateMFADevice did not complete before the run's time limit ran out (timeout-seconds: 5).");
    // The drip processed the call before answering: the outcome is honestly unknown, and counted as remaining.
    expect(result.outputs).toMatchObject({ 'deactivated-devices': JSON.stringify([phone]), 'remaining-devices': JSON.stringify([token]) });
    expect(summaryRow(result, token ?? '')).toContain('outcome unknown, AWS gave no answer: iam:DeactivateMFADevice did not complete');
  });

  it('ListMFADevices answering the same Marker again and again: stops, acts on nothing', async ({ standin }) => {
    const world = adminWorld(standin);
    standin.faults.inject({ action: 'ListMFADevices', kind: 'repeat-marker', times: 10_000 });

    const result = await runInProcess(standin, world.inputs());

    expect(result.failure).toContain('iam:ListMFADevices said more devices follow but gave no new Marker to fetch them with (a missing or repeated Marker)');
    expect(count(result, 'ListMFADevices')).toBe(2);
    expect(count(result, 'DeactivateMFADevice')).toBe(0);
  });
});
