// Faults end to end: for every AWS call of each path, the built action against a stand-in that
// throttles, fails (500), resets the connection, answers slowly or never answers. A transient fault
// is absorbed by the SDK's standard retry (5 attempts per call, all within timeout-seconds); a
// persistent one fails naming the call, with outputs and summary saying exactly which devices
// changed, and a second run finishes the job. The MFA code is sent at most once, whatever happens.
import { describe, expect, it } from 'vitest';
import { type FaultKind, type RequestLogEntry, type Standin, startStandin } from '../../standin/index.ts';
import { type ActionRun, leaksOf, runAction } from '../../standin/runner.ts';

// Small, so that a fault nobody absorbs ends the run quickly: each attempt then gets 1 s.
const TIMEOUT_SECONDS = '5';

type Path = 'admin' | 'self-service';

interface World {
  standin: Standin;
  user: string;
  inputs: () => Record<string, string>;
}

/** An admin role acting on alice (a virtual and a hardware device, deleting virtual ones). */
async function adminWorld(): Promise<World> {
  const standin = await startStandin();
  const role = standin.createRole('gha-mfa-admin', { admin: true, subject: 'repo:octo/app:*' }).arn;
  standin.createUser('alice');
  standin.addVirtualMfa('alice', 'alice-phone');
  standin.addHardwareMfa('alice');
  return {
    standin,
    user: 'alice',
    inputs: () => ({ 'user-name': 'alice', 'role-to-assume': role, 'delete-virtual-devices': 'true', 'timeout-seconds': TIMEOUT_SECONDS }),
  };
}

/** Bob with his own keys and a live code from his own device; AWS demands MFA for his own changes. */
async function selfServiceWorld(): Promise<World> {
  const standin = await startStandin();
  standin.createUser('bob', { requireMfaForSelf: true });
  const keys = standin.createAccessKey('bob');
  const phone = standin.addVirtualMfa('bob', 'bob-phone');
  return {
    standin,
    user: 'bob',
    inputs: () => ({
      'user-name': 'bob',
      'aws-access-key-id': keys.accessKeyId,
      'aws-secret-access-key': keys.secretAccessKey,
      'mfa-token': standin.totp(phone.seed),
      'timeout-seconds': TIMEOUT_SECONDS,
    }),
  };
}

const worlds: Record<Path, () => Promise<World>> = { admin: adminWorld, 'self-service': selfServiceWorld };

/** Each AWS call of each path, as the stand-in names its action; `after` skips earlier calls of the same action. */
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

const FAULTS: { fault: FaultKind; delayMs?: number }[] = [
  { fault: 'throttle' },
  { fault: 'service-failure' },
  { fault: 'reset' },
  // Slower than usual but within an attempt's 1 s: never a failure.
  { fault: 'slow', delayMs: 300 },
  // Never answers: only the attempt's timeout (1 s here) or the run's deadline ends it.
  { fault: 'black-hole' },
];

interface Row {
  name: string;
  path: Path;
  call: string;
  action: string;
  after: number | undefined;
  fault: FaultKind;
  delayMs: number | undefined;
  times: number;
  absorbed: boolean;
}

// GetSessionToken carries the code and is sent once, retries off: any fault but a slow answer fails it.
const absorbs = (call: string, fault: FaultKind, times: number): boolean => fault === 'slow' || (times === 1 && call !== 'sts:GetSessionToken');

const ROWS: Row[] = CALLS.flatMap(({ path, call, action, after }) =>
  FAULTS.flatMap(({ fault, delayMs }) =>
    // Every request slow is still a success: one row is enough for it.
    (fault === 'slow' ? [99] : [1, 99]).map((times) => ({
      name: `${path}: ${call} ${fault}${times === 1 ? ' once' : ' every time'}`,
      path,
      call,
      action,
      after,
      fault,
      delayMs,
      times,
      absorbed: absorbs(call, fault, times),
    })),
  ),
);

const calls = (standin: Standin, action: string): RequestLogEntry[] => standin.requests.filter((entry) => entry.action === action);
const serials = (json: string | undefined): string[] => JSON.parse(json ?? 'null') as string[];

/** The summary's table row for a serial (the user name in it masked), as text. */
function summaryRow(run: ActionRun, serial: string, user: string): string {
  const shown = serial.replaceAll(user, '***');
  const row = run.summary.match(/<tr>.*?<\/tr>/g)?.find((candidate) => candidate.startsWith(`<tr><td><code>${shown}</code></td>`));
  return row?.replace(/<[^>]+>/g, ' ') ?? `(no row for ${serial})`;
}

function expectNoLeaks(standin: Standin, run: ActionRun): void {
  expect(run.files.GITHUB_ENV).toBe('');
  expect(leaksOf(run, standin.issuedSecrets())).toEqual([]);
}

/** Outputs and summary say exactly which devices changed: checked against the stand-in's own state. */
function expectExactReport(world: World, before: string[], run: ActionRun): void {
  const still = world.standin.devicesOf(world.user);
  const changed = before.filter((serial) => !still.includes(serial));
  const planned = serials(run.outputs['planned-devices']);
  expect(serials(run.outputs['deactivated-devices'])).toEqual(changed);
  expect(serials(run.outputs['remaining-devices'])).toEqual(planned.filter((serial) => still.includes(serial)));
  for (const serial of changed) expect(summaryRow(run, serial, world.user)).toMatch(/ (deactivated|already removed)/);
  for (const serial of planned.filter((s) => still.includes(s))) expect(summaryRow(run, serial, world.user)).toMatch(/not deactivated|outcome unknown/);
}

describe.concurrent('every AWS call of each path under every fault', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_, { path, call, action, after, fault, delayMs, times, absorbed }) => {
    const world = await worlds[path]();
    const { standin } = world;
    try {
      const before = standin.devicesOf(world.user);
      standin.faults.inject({ action, kind: fault, times, ...(after !== undefined && { after }), ...(delayMs !== undefined && { delayMs }) });

      const run = await runAction(world.inputs(), { endpoint: standin.endpoint, oidc: standin.oidc });

      expect(calls(standin, 'GetSessionToken').length).toBeLessThanOrEqual(1);
      expect(calls(standin, action).some((entry) => entry.fault === fault)).toBe(true);
      expectNoLeaks(standin, run);
      if (absorbed) {
        expect(run.errors).toEqual([]);
        expect(run.exitCode).toBe(0);
        expect(standin.devicesOf(world.user)).toEqual([]);
        expect(run.outputs['result']).toBe('deactivated');
        return;
      }
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toContain(call);
      expect(run.outputs['result']).toBe('failed');
      expectExactReport(world, before, run);

      // The fault is gone: a second run finishes the job (a fresh code on the self-service path).
      standin.faults.clear();
      standin.clock.advance(30_000);
      const left = standin.devicesOf(world.user);
      const rerun = await runAction(world.inputs(), { endpoint: standin.endpoint, oidc: standin.oidc });
      expect(rerun.errors).toEqual([]);
      expect(standin.devicesOf(world.user)).toEqual([]);
      expect(serials(rerun.outputs['deactivated-devices'])).toEqual(left);
      expectNoLeaks(standin, rerun);
    } finally {
      await standin.close();
    }
  });
});
