// Approvals end to end, as a determined colleague with write access would try them: the built
// action, run as the runner runs it, against the stand-in's IAM, STS, OIDC and GitHub REST
// endpoints (GitHub's shapes, checked against its OpenAPI description in test/standin). Every
// breach is refused with no AWS request and a message naming what did not hold; beside each, its
// legitimate twin still resets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullHandle, RunHandle, Standin } from '../../standin/index.ts';
import { startStandin } from '../../standin/index.ts';
import { type ActionRun, leaksOf, runAction, type RunOptions } from '../../standin/runner.ts';
import { adminRole } from '../fixtures/standin.ts';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin();
});
afterEach(async () => {
  await standin.close();
});

const REQUEST = 'mfa-resets/2026-12-04-alice.yml';
const REQUEST_TEXT = 'user-name: alice\nreason: lost her phone on a trip\nticket: OPS-42\n';
const awsCalls = () => standin.requests.filter((entry) => entry.service !== 'github');
const githubCalls = () => standin.requests.filter((entry) => entry.service === 'github').map((entry) => `${entry.action} ${entry.status}`);
/**
 * A review given now, as GitHub stamps it: at least a whole second after the devices the test made
 * were enabled (IAM's EnableDate and GitHub's submitted_at have whole seconds).
 */
const now = () => ({ at: new Date(Date.now() + 1500).toISOString() });

/** alice, with one virtual device, and an admin role to reset her through. */
function aliceWithPhone(tags: Record<string, string> = {}): { role: string; serial: string } {
  const role = adminRole(standin);
  standin.createUser('alice', { tags });
  return { role, serial: standin.addVirtualMfa('alice', 'phone-1').serial };
}

/** The runner's variables for the run's latest attempt, a job token with these permissions, and the request file checked out. */
function asRun(run: RunHandle, extra: Partial<RunOptions> = {}): RunOptions {
  const gh = standin.github;
  return {
    endpoint: standin.endpoint,
    oidc: standin.oidc,
    github: { apiUrl: gh.apiUrl, token: gh.issueToken({ actions: 'read', 'pull-requests': 'read', contents: 'read' }) },
    workspaceFiles: { [REQUEST]: REQUEST_TEXT },
    ...run.runner(),
    ...extra,
  };
}

function expectRefused(run: ActionRun, message: string, serial: string): void {
  expect(run.errors.join('\n')).toContain(message);
  expect(awsCalls()).toEqual([]);
  expect(run.exitCode).toBe(1);
  expect(run.outputs['result']).toBe('failed');
  expect(standin.devicesOf('alice')).toEqual([serial]);
  expect(leaksOf(run, standin.issuedSecrets())).toEqual([]);
}

const ENVIRONMENT = { 'user-name': 'alice', 'require-approval': 'environment' };

describe('require-approval: environment', () => {
  it('a maintainer approves: resets, and the summary shows who approved with what permission', async () => {
    const { role } = aliceWithPhone();
    standin.github.member('carol', 'maintain');
    const run = standin.github.run({ actor: 'octo-admin' }).approve('carol', { comment: 'Confirmed by phone <call>' });

    const result = await runAction({ ...ENVIRONMENT, 'role-to-assume': role }, asRun(run));

    expect(result.errors).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([]);
    // GitHub first, before any AWS call: the run, its approvals, the approver's permission.
    expect(standin.requests[0]?.service).toBe('github');
    expect(githubCalls()).toEqual(['actions.getWorkflowRun 200', 'actions.getReviewsForRun 200', 'repos.getCollaboratorPermissionLevel 200']);
    expect(result.summary).toMatch(/<th>Counted approvers<\/th><td>@carol \(id \d+\), maintain<\/td>/);
    expect(result.summary).toContain('Confirmed by phone &#60;call&#62;');
    expect(JSON.parse(result.outputs['approvals'] ?? '')).toEqual([
      expect.objectContaining({ reviewer: 'carol', reviewerId: expect.any(Number), state: 'approved' }),
    ]);
  });

  it('self-approval is refused', async () => {
    const { role, serial } = aliceWithPhone();
    standin.github.collaborator('alice-gh', 'admin');
    const run = standin.github.run({ actor: 'alice-gh' }).approve('alice-gh');
    expectRefused(await runAction({ ...ENVIRONMENT, 'role-to-assume': role }, asRun(run)), 'none counts: @alice-gh started the run', serial);
  });

  it('self-approval under a renamed login is refused: people are compared by account id', async () => {
    const { role, serial } = aliceWithPhone();
    standin.github.collaborator('alice-gh', 'admin');
    const run = standin.github.run({ actor: 'alice-gh' });
    standin.github.rename('alice-gh', 'totally-someone-else');
    run.approve('totally-someone-else');
    expectRefused(await runAction({ ...ENVIRONMENT, 'role-to-assume': role }, asRun(run)), '@totally-someone-else started the run', serial);
  });

  it('an approval by a read-only collaborator is refused', async () => {
    const { role, serial } = aliceWithPhone();
    standin.github.collaborator('rita', 'read');
    const run = standin.github.run({ actor: 'octo-admin' }).approve('rita');
    expectRefused(await runAction({ ...ENVIRONMENT, 'role-to-assume': role }, asRun(run)), '@rita has read permission on the repository', serial);
  });

  it("a re-run replaying attempt 1's approval is refused: the approvals log cannot tie an approval to an attempt", async () => {
    const { role, serial } = aliceWithPhone();
    standin.github.collaborator('bob', 'write');
    const run = standin.github.run({ actor: 'octo-admin' }).approve('bob').rerun({ by: 'mallory', waitsForReview: false });
    expectRefused(await runAction({ ...ENVIRONMENT, 'role-to-assume': role }, asRun(run)), 'Dispatch a new run instead of re-running', serial);
  });

  it('a token without actions: read names the missing permissions line', async () => {
    const { role, serial } = aliceWithPhone();
    const run = standin.github.run({ actor: 'octo-admin' }).approve('bob');
    const result = await runAction(
      { ...ENVIRONMENT, 'role-to-assume': role },
      asRun(run, { github: { apiUrl: standin.github.apiUrl, token: standin.github.issueToken({ contents: 'read' }) } }),
    );
    expectRefused(result, "add `actions: read` to the job's `permissions:`", serial);
  });

  it('require-approval: none (the default) makes no GitHub call', async () => {
    const { role } = aliceWithPhone();
    const result = await runAction({ 'user-name': 'alice', 'role-to-assume': role }, asRun(standin.github.run({ actor: 'octo-admin' })));
    expect(result.errors).toEqual([]);
    expect(githubCalls()).toEqual([]);
    expect(result.outputs['approvals']).toBe('[]');
  });
});

const PULL_REQUEST = { 'request-file': REQUEST, 'require-approval': 'pull-request' };

/** asmith asks for a reset of alice by pull request; bob (write) approves its final commit now. */
function request(options: { approver?: string | null; files?: { filename: string; status?: 'added' | 'modified' }[]; base?: string } = {}): PullHandle {
  const gh = standin.github;
  gh.collaborator('bob', 'write');
  const pull = gh.pullRequest({ author: 'asmith', files: options.files ?? [{ filename: REQUEST }], ...(options.base && { base: options.base }) });
  return options.approver === undefined ? pull.approve('bob', now()) : pull.approve(options.approver, now());
}

/** The push run of a merge: the runner's variables for it. */
function pushOf(sha: string, branch = 'main'): RunHandle {
  return standin.github.run({ actor: 'erin', event: 'push', sha, branch, environment: null });
}

describe('require-approval: pull-request', () => {
  it.each(['merge', 'squash', 'rebase'] as const)('a %s merge of an approved request resets, bound to the requester by the account id tag', async (kind) => {
    const asmith = standin.github.account('asmith');
    const { role } = aliceWithPhone({ 'github-id': String(asmith.id) });
    const pull = request();
    const run = pushOf(pull.merge({ kind, by: 'erin' }));

    const result = await runAction({ ...PULL_REQUEST, 'role-to-assume': role, 'require-user-tag': 'github-id' }, asRun(run));

    expect(result.errors).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(result.outputs['pull-request']).toBe(String(pull.number));
    expect(result.summary).toContain(`matches the requester @asmith (id ${asmith.id})`);
    expect(result.summary).toMatch(/<th>Reviewer permissions<\/th><td>@bob \(id \d+\): write<\/td>/);
    expect(leaksOf(result, standin.issuedSecrets())).toEqual([]);
  });

  it('a merge queue of one resets', async () => {
    const { role } = aliceWithPhone();
    const pull = request();
    const result = await runAction({ ...PULL_REQUEST, 'role-to-assume': role }, asRun(pushOf(standin.github.mergeQueue([pull]))));
    expect(result.errors).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([]);
  });

  it('a direct push of an approved, unmerged head is refused', async () => {
    const { role, serial } = aliceWithPhone();
    const pull = request();
    // GitHub lists the open pull request that contains the pushed commit.
    standin.github.associate(pull.headSha, [pull.number]);
    const result = await runAction({ ...PULL_REQUEST, 'role-to-assume': role }, asRun(pushOf(pull.headSha)));
    expectRefused(result, `#${pull.number} is not merged`, serial);
  });

  it('a request merged into another branch, then pushed to main, is refused', async () => {
    const { role, serial } = aliceWithPhone();
    const pull = request({ base: 'unprotected' });
    const result = await runAction({ ...PULL_REQUEST, 'role-to-assume': role }, asRun(pushOf(pull.merge({ by: 'erin' }), 'main')));
    expectRefused(result, `#${pull.number} was merged into unprotected`, serial);
  });

  it('a pull request that only modified the request file is refused: its approval is not about this request', async () => {
    const { role, serial } = aliceWithPhone();
    const pull = request({ files: [{ filename: REQUEST, status: 'modified' }] });
    const result = await runAction({ ...PULL_REQUEST, 'role-to-assume': role }, asRun(pushOf(pull.merge({ by: 'erin' }))));
    expectRefused(result, `pull request #${pull.number} did not add it`, serial);
  });

  it('a dispatch run on the default branch is refused: pull-request mode acts only on the push that merged the request', async () => {
    const { role, serial } = aliceWithPhone();
    request().merge({ by: 'erin' });
    const run = standin.github.run({ actor: 'erin' });
    expectRefused(await runAction({ ...PULL_REQUEST, 'role-to-assume': role }, asRun(run)), 'a push to a branch', serial);
  });

  it.each([
    { name: 'github-actions[bot]', approver: 'github-actions[bot]', message: 'is a Bot account, not a person' },
    { name: 'a deleted account (user null)', approver: null, message: 'deleted or unknown account' },
    { name: 'a read-only collaborator', approver: 'rita', message: '@rita has read permission' },
    { name: "the author's second account, not a collaborator", approver: 'asmith-alt', message: '@asmith-alt has none permission' },
    { name: 'the author', approver: 'asmith', message: '@asmith authored the pull request' },
  ])('an approval by $name is refused', async ({ approver, message }) => {
    const { role, serial } = aliceWithPhone();
    standin.github.collaborator('rita', 'read');
    standin.github.collaborator('asmith', 'write');
    const pull = request({ approver });
    const result = await runAction({ ...PULL_REQUEST, 'role-to-assume': role }, asRun(pushOf(pull.merge({ by: 'erin' }))));
    expectRefused(result, message, serial);
  });

  it('a re-run days later (or a force-push back to an old merge) is refused: the approval is older than approval-max-age-hours', async () => {
    const { role, serial } = aliceWithPhone();
    standin.github.collaborator('bob', 'write');
    const pull = standin.github
      .pullRequest({ author: 'asmith', files: [{ filename: REQUEST }] })
      .approve('bob', { at: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    const run = pushOf(pull.merge({ by: 'erin' })).rerun({ by: 'mallory' });
    expectRefused(await runAction({ ...PULL_REQUEST, 'role-to-assume': role }, asRun(run)), 'given within the last 24 hours (approval-max-age-hours)', serial);
  });

  it('a re-run finishes an interrupted approved reset, and never touches a device enabled after the approval', async () => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    const token = standin.addHardwareMfa('alice');
    const run = pushOf(request().merge({ by: 'erin' }));
    // Attempt 1: the second deactivation fails every time, and the run stops part-way.
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'service-failure', times: Infinity, after: 1 });
    const first = await runAction({ ...PULL_REQUEST, 'role-to-assume': role }, asRun(run));
    expect(first.exitCode).toBe(1);
    expect(standin.devicesOf('alice')).toEqual([token.serial]);
    standin.faults.clear();
    // Meanwhile (seconds later, on IAM's clock) alice enrolls a new phone; the approval never saw it.
    standin.clock.advance(3000);
    const newPhone = standin.addVirtualMfa('alice', 'phone-2');

    const second = await runAction({ ...PULL_REQUEST, 'role-to-assume': role }, asRun(run.rerun({ by: 'erin' })));

    expect(standin.devicesOf('alice')).toEqual([newPhone.serial]);
    expect(JSON.parse(second.outputs['deactivated-devices'] ?? '')).toEqual([token.serial]);
    expect(JSON.parse(second.outputs['remaining-devices'] ?? '')).toEqual([newPhone.serial]);
    expect(second.summary).toContain('not before the approval at');
    expect(phone.serial).not.toBe(newPhone.serial);
  });

  it('a request file that is a symbolic link is refused before any call', async () => {
    const { role, serial } = aliceWithPhone();
    const run = pushOf(request().merge({ by: 'erin' }));
    const result = await runAction(
      { ...PULL_REQUEST, 'role-to-assume': role },
      asRun(run, { workspaceFiles: { 'README.yml': REQUEST_TEXT }, workspaceLinks: { [REQUEST]: '../README.yml' } }),
    );
    expect(result.errors.join('\n')).toContain('not a regular file (a symbolic link or a folder)');
    expect(standin.requests).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([serial]);
  });

  it('a malformed request file names the file and field, and calls nothing', async () => {
    const { role, serial } = aliceWithPhone();
    const run = pushOf(request().merge({ by: 'erin' }));
    const result = await runAction(
      { ...PULL_REQUEST, 'role-to-assume': role },
      asRun(run, { workspaceFiles: { [REQUEST]: 'user-name: alice\nticket: OPS-42\n' } }),
    );
    expect(result.errors).toEqual([`deactivate-iam-mfa: Input request-file ${REQUEST}: field reason is required: say why the reset is needed.`]);
    expect(standin.requests).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([serial]);
  });
});
