// Approvals end to end, one approved run per mode: the built action (Octokit loaded on demand in the
// bundle) run as the runner runs it, against the stand-in's endpoints. Refusals: test/run/approvals.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Permissions, type Standin, startStandin } from '../../standin/index.ts';
import { leaksOf, runAction, type RunOptions } from '../../standin/runner.ts';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin();
});
afterEach(async () => {
  await standin.close();
});

const RUN_ID = 4242;
const HEAD = 'a1'.repeat(20);
const MERGE = 'b2'.repeat(20);
const githubCalls = (): string[] => standin.requests.filter((entry) => entry.service === 'github').map((entry) => `${entry.action} ${entry.status}`);

function adminRole(): string {
  return standin.createRole('gha-mfa-admin', { admin: true, subject: 'repo:octo/app:*' }).arn;
}

/** A dispatched run with a job token holding `permissions`. */
function dispatched(permissions: Permissions, options: Partial<RunOptions> = {}): RunOptions {
  return {
    endpoint: standin.endpoint,
    oidc: standin.oidc,
    github: { apiUrl: standin.github.apiUrl, token: standin.github.issueToken(permissions) },
    ...options,
  };
}

describe('require-approval: environment', () => {
  it('approved by another person: resets, and names the approver in the summary and the approvals output', async () => {
    const role = adminRole();
    standin.createUser('alice');
    // Named without the (masked) user name, so the summary shows the serial.
    const phone = standin.addVirtualMfa('alice', 'phone-1');
    standin.github.setRunApprovals(RUN_ID, [{ login: 'bob', state: 'approved', environments: ['iam-admin'], comment: 'Confirmed by phone <call>' }]);

    const run = await runAction(
      { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment' },
      dispatched({ actions: 'read' }, { actor: 'octo-admin' }),
    );

    expect(run.errors).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(githubCalls()).toEqual(['actions.getReviewsForRun 200']);
    // The approval was read before the first AWS call.
    expect(standin.requests[0]?.service).toBe('github');
    expect(JSON.parse(run.outputs['approvals'] ?? '')).toEqual([
      { reviewer: 'bob', state: 'approved', environments: ['iam-admin'], comment: 'Confirmed by phone <call>' },
    ]);
    expect(run.summary).toContain('<th>Counted approvers</th><td>@bob</td>');
    expect(run.summary).toContain('<td>@bob</td><td>approved</td><td>iam-admin</td><td>Confirmed by phone &#60;call&#62;</td>');
    expect(run.stdout).toContain('Environment approval by @bob.');
    // The audit trail: the exact session name, where it came from, and the request id of the change.
    expect(run.summary).toContain("<code>gh-octo-admin-4242-1</code> (the action's default)");
    const [change] = standin.requests.filter((entry) => entry.action === 'DeactivateMFADevice');
    expect(change?.outcome).toBe('ok');
    expect(run.summary).toMatch(new RegExp(`<td>DeactivateMFADevice</td><td><code>${phone.serial}</code></td><td><code>[0-9a-f-]{36}</code></td><td>ok</td>`));
    expect(leaksOf(run, standin.issuedSecrets())).toEqual([]);
  });
});

describe('require-approval: pull-request, with a request file', () => {
  const REQUEST = 'mfa-resets/2026-11-24-alice.yml';
  const requestFile = 'user-name: alice\nreason: lost her phone on a trip\nticket: OPS-42\n';
  const pushed = (options: Partial<RunOptions> = {}): RunOptions =>
    dispatched(
      { contents: 'read', 'pull-requests': 'read' },
      { actor: 'erin', eventName: 'push', sha: MERGE, workspaceFiles: { [REQUEST]: requestFile }, ...options },
    );

  it('approved on the final commit by a third person: resets, naming the pull request, author, approver and reason', async () => {
    const role = adminRole();
    standin.createUser('alice', { tags: { 'github-login': 'asmith' } });
    standin.addVirtualMfa('alice', 'alice-phone');
    standin.github.addPullRequest({
      number: 7,
      author: 'asmith',
      headSha: HEAD,
      mergeCommitSha: MERGE,
      reviews: [{ login: 'bob', state: 'APPROVED', commitId: HEAD }],
    });

    const run = await runAction(
      { 'request-file': REQUEST, 'role-to-assume': role, 'require-approval': 'pull-request', 'require-user-tag': 'github-login' },
      pushed(),
    );

    expect(run.errors).toEqual([]);
    expect(standin.devicesOf('alice')).toEqual([]);
    expect(githubCalls()).toEqual(['repos.listPullRequestsAssociatedWithCommit 200', 'pulls.listReviews 200']);
    expect(standin.requests.find((entry) => entry.action === 'ListUserTags')?.params).toMatchObject({ UserName: 'alice' });
    expect(run.outputs['pull-request']).toBe('7');
    expect(JSON.parse(run.outputs['approvals'] ?? '')).toEqual([{ reviewer: 'bob', state: 'approved', pullRequest: 7, author: 'asmith', commit: HEAD }]);
    expect(run.summary).toContain('#7</a> by @asmith');
    expect(run.summary).toContain('<th>Reason</th><td>lost her phone on a trip</td>');
    expect(run.summary).toContain('<code>github-login</code> matches the requester @asmith');
    expect(run.summary).not.toContain('alice<');
    expect(leaksOf(run, standin.issuedSecrets())).toEqual([]);
  });
});
