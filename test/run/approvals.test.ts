// Approvals in process: run() with octokitConnector against the stand-in's GitHub REST endpoints,
// and the real SDK clients against its IAM, STS and OIDC. A refused run must make no AWS call and
// change nothing. (test/e2e/approvals.e2e.test.ts runs one approved scenario per mode as a process.)
import { describe, expect } from 'vitest';
import type { Permissions, Standin } from '../../standin/index.ts';
import { type InProcessOptions, it, leaksOf, type RunResult, runInProcess } from './harness.ts';

const RUN_ID = 4242;
const HEAD = 'a1'.repeat(20);
const MERGE = 'b2'.repeat(20);
const awsCalls = (result: RunResult) => result.requests.filter((entry) => entry.service !== 'github');
const githubCalls = (result: RunResult): string[] =>
  result.requests.filter((entry) => entry.service === 'github').map((entry) => `${entry.action} ${entry.status}`);

function adminRole(standin: Standin): string {
  return standin.createRole('gha-mfa-admin', { admin: true, subject: 'repo:octo/app:*' }).arn;
}

/** A dispatched run whose job token holds `permissions`. */
const dispatched = (permissions: Permissions, options: InProcessOptions = {}): InProcessOptions => ({ githubPermissions: permissions, ...options });

function expectNothingChanged(standin: Standin, result: RunResult, user: string, devices: string[]): void {
  expect(result.failure).toBeDefined();
  expect(standin.devicesOf(user)).toEqual(devices);
  expect(result.outputs['result']).toBe('failed');
  expect(leaksOf(result, standin.issuedSecrets())).toEqual([]);
}

describe.concurrent('require-approval: environment', () => {
  it('approved by another person: resets, names the approver, and leaves an audit trail', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    standin.github.setRunApprovals(RUN_ID, [{ login: 'bob', state: 'approved', environments: ['iam-admin'], comment: 'Confirmed by phone <call>' }]);

    const result = await runInProcess(
      standin,
      { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment' },
      dispatched({ actions: 'read' }, { actor: 'octo-admin' }),
    );

    expect(result.failure).toBeUndefined();
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(githubCalls(result)).toEqual(['actions.getReviewsForRun 200']);
    // The approval was read before the first AWS call.
    expect(result.requests[0]?.service).toBe('github');
    expect(JSON.parse(result.outputs['approvals'] ?? '')).toEqual([
      { reviewer: 'bob', state: 'approved', environments: ['iam-admin'], comment: 'Confirmed by phone <call>' },
    ]);
    expect(result.summary).toContain('<th>Counted approvers</th><td>@bob</td>');
    expect(result.summary).toContain('<td>@bob</td><td>approved</td><td>iam-admin</td><td>Confirmed by phone &#60;call&#62;</td>');
    expect(result.lines).toContain('Environment approval by @bob.');
    expect(result.summary).toContain("<code>gh-octo-admin-4242-1</code> (the action's default)");
    const [change] = result.requests.filter((entry) => entry.action === 'DeactivateMFADevice');
    expect(change?.outcome).toBe('ok');
    expect(result.summary).toMatch(
      new RegExp(`<td>DeactivateMFADevice</td><td><code>${phone.serial}</code></td><td><code>[0-9a-f-]{36}</code></td><td>ok</td>`),
    );
    expect(leaksOf(result, standin.issuedSecrets())).toEqual([]);
  });

  it('self-approved (another case of the same login): refused before any AWS call', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    standin.github.setRunApprovals(RUN_ID, [{ login: 'Alice', state: 'approved', comment: 'me' }]);

    const result = await runInProcess(
      standin,
      { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment' },
      dispatched({ actions: 'read' }, { actor: 'alice' }),
    );

    expect(result.failure).toContain('require-approval: environment refused the run before any AWS call. Missing: an approval by someone other than @alice');
    expect(awsCalls(result)).toEqual([]);
    expectNothingChanged(standin, result, 'alice', [phone.serial]);
    expect(JSON.parse(result.outputs['approvals'] ?? '')).toEqual([{ reviewer: 'Alice', state: 'approved', environments: ['iam-admin'], comment: 'me' }]);
  });

  it('approved only by the person who re-ran it: refused', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    standin.github.setRunApprovals(RUN_ID, [{ login: 'mallory', state: 'approved' }]);

    const result = await runInProcess(
      standin,
      { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment' },
      dispatched({ actions: 'read' }, { actor: 'alice', triggeringActor: 'mallory' }),
    );

    expect(result.failure).toContain('Missing: an approval by someone other than @alice (who started the run) or @mallory (who re-ran it)');
    expect(awsCalls(result)).toEqual([]);
    expectNothingChanged(standin, result, 'alice', [phone.serial]);
  });

  it('no approval at all: refused, saying the job needs an environment with required reviewers', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    standin.github.setRunApprovals(RUN_ID, []);

    const result = await runInProcess(
      standin,
      { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment' },
      dispatched({ actions: 'read' }),
    );

    expect(result.failure).toMatch(
      /Missing: an environment approval: this run has none\. Give the job an `environment:` whose protection rules list required reviewers/,
    );
    expect(awsCalls(result)).toEqual([]);
    expectNothingChanged(standin, result, 'alice', [phone.serial]);
  });

  it('a token without actions: read: names the missing permissions line', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    standin.github.setRunApprovals(RUN_ID, [{ login: 'bob', state: 'approved' }]);

    const result = await runInProcess(
      standin,
      { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment' },
      dispatched({ contents: 'read' }),
    );

    expect(result.failure).toContain(
      "The job's token may not read this run's environment approvals (403 Resource not accessible by integration): add `actions: read` to the job's `permissions:`.",
    );
    expect(githubCalls(result)).toEqual(['actions.getReviewsForRun 403']);
    expect(awsCalls(result)).toEqual([]);
    expectNothingChanged(standin, result, 'alice', [phone.serial]);
  });

  it("an unknown run: reports GitHub's 404 clearly", async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');

    const result = await runInProcess(
      standin,
      { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment' },
      dispatched({ actions: 'read' }),
    );

    expect(result.failure).toContain("GitHub answered 404 Not Found for this run's environment approvals");
    expect(awsCalls(result)).toEqual([]);
    expectNothingChanged(standin, result, 'alice', [phone.serial]);
  });

  it('require-approval: none (the default) makes no GitHub call', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'phone-1');

    const result = await runInProcess(standin, { 'user-name': 'alice', 'role-to-assume': role }, dispatched({}));

    expect(result.failure).toBeUndefined();
    expect(githubCalls(result)).toEqual([]);
    expect(result.outputs['approvals']).toBe('[]');
  });
});

describe.concurrent('require-approval: pull-request, with a request file', () => {
  const REQUEST = 'mfa-resets/2026-11-24-alice.yml';
  const requestFile = 'user-name: alice\nreason: lost her phone on a trip\nticket: OPS-42\n';
  const pushed = (options: InProcessOptions = {}): InProcessOptions =>
    dispatched(
      { contents: 'read', 'pull-requests': 'read' },
      { actor: 'erin', eventName: 'push', sha: MERGE, workspaceFiles: { [REQUEST]: requestFile }, ...options },
    );

  it('approved on the final commit by a third person: resets, naming the pull request, author, approver and reason', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice', { tags: { 'github-login': 'asmith' } });
    standin.addVirtualMfa('alice', 'phone-1');
    standin.github.addPullRequest({
      number: 7,
      author: 'asmith',
      headSha: HEAD,
      mergeCommitSha: MERGE,
      reviews: [{ login: 'bob', state: 'APPROVED', commitId: HEAD }],
    });

    const result = await runInProcess(
      standin,
      { 'request-file': REQUEST, 'role-to-assume': role, 'require-approval': 'pull-request', 'require-user-tag': 'github-login' },
      pushed(),
    );

    expect(result.failure).toBeUndefined();
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(githubCalls(result)).toEqual(['repos.listPullRequestsAssociatedWithCommit 200', 'pulls.listReviews 200']);
    expect(result.requests.find((entry) => entry.action === 'ListUserTags')?.params).toMatchObject({ UserName: 'alice' });
    expect(result.outputs['pull-request']).toBe('7');
    expect(JSON.parse(result.outputs['approvals'] ?? '')).toEqual([{ reviewer: 'bob', state: 'approved', pullRequest: 7, author: 'asmith', commit: HEAD }]);
    expect(result.summary).toContain('#7</a> by @asmith');
    expect(result.summary).toContain('<th>Reason</th><td>lost her phone on a trip</td>');
    expect(result.summary).toContain('<code>github-login</code> matches the requester @asmith');
    expect(result.summary).not.toContain('alice');
    expect(result.masked).toContain('alice');
  });

  it('approved by its own author only: refused before any AWS call', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    standin.github.addPullRequest({
      number: 8,
      author: 'asmith',
      headSha: HEAD,
      mergeCommitSha: MERGE,
      reviews: [{ login: 'ASmith', state: 'APPROVED', commitId: HEAD }],
    });

    const result = await runInProcess(standin, { 'request-file': REQUEST, 'role-to-assume': role, 'require-approval': 'pull-request' }, pushed());

    expect(result.failure).toContain(
      'Missing: an approval of pull request #8 by someone other than its author @asmith and @erin: it was approved only by @ASmith.',
    );
    expect(awsCalls(result)).toEqual([]);
    expectNothingChanged(standin, result, 'alice', [phone.serial]);
  });

  it('approved on an older commit, then changed: refused before any AWS call', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    standin.github.addPullRequest({
      number: 8,
      author: 'asmith',
      headSha: HEAD,
      mergeCommitSha: MERGE,
      reviews: [{ login: 'bob', state: 'APPROVED', commitId: 'c3'.repeat(20) }],
    });

    const result = await runInProcess(standin, { 'request-file': REQUEST, 'role-to-assume': role, 'require-approval': 'pull-request' }, pushed());

    expect(result.failure).toContain(`Missing: an approval of pull request #8's final commit ${HEAD.slice(0, 7)}: @bob approved an earlier commit`);
    expect(awsCalls(result)).toEqual([]);
    expectNothingChanged(standin, result, 'alice', [phone.serial]);
    expect(result.summary).toContain('#8</a> by @asmith');
  });

  it("a request by someone whose login is not the user's tag: refused, no device changed", async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice', { tags: { 'github-login': 'asmith' } });
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    standin.github.addPullRequest({
      number: 9,
      author: 'mallory',
      headSha: HEAD,
      mergeCommitSha: MERGE,
      reviews: [{ login: 'bob', state: 'APPROVED', commitId: HEAD }],
    });

    const result = await runInProcess(
      standin,
      { 'request-file': REQUEST, 'role-to-assume': role, 'require-approval': 'pull-request', 'require-user-tag': 'github-login' },
      pushed(),
    );

    expect(result.failure).toContain(
      "require-user-tag refused the reset: the IAM user's tag github-login names another GitHub login than the requester @mallory",
    );
    expect(result.requests.filter((entry) => entry.action === 'ListMFADevices' || entry.action === 'DeactivateMFADevice')).toEqual([]);
    expectNothingChanged(standin, result, 'alice', [phone.serial]);
  });

  it('a malformed request file: names the file and field, and calls nothing', async ({ standin }) => {
    const role = adminRole(standin);
    standin.createUser('alice');
    const phone = standin.addVirtualMfa('alice', 'phone-1');

    const result = await runInProcess(
      standin,
      { 'request-file': REQUEST, 'role-to-assume': role, 'require-approval': 'pull-request' },
      pushed({ workspaceFiles: { [REQUEST]: 'user-name: alice\nticket: OPS-42\n' } }),
    );

    expect(result.failure).toBe(`deactivate-iam-mfa: Input request-file ${REQUEST}: field reason is required: say why the reset is needed.`);
    expect(result.requests).toEqual([]);
    expectNothingChanged(standin, result, 'alice', [phone.serial]);
  });
});
