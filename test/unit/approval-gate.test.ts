// The gate with a fake GitHub: which calls it makes per mode, and that a refusal leaves a record.
import { describe, expect, it, vi } from 'vitest';
import { checkApproval, requireApproved } from '../../src/approvals/gate.ts';
import type { GitHubApi, GitHubConnection } from '../../src/approvals/github.ts';
import type { RunFacts } from '../../src/runner/context.ts';
import type { ApprovalSettings } from '../../src/settings.ts';

const RUN: RunFacts = {
  actor: 'erin',
  triggeringActor: 'erin',
  repository: { owner: 'octo', repo: 'app' },
  runId: 42,
  runAttempt: 1,
  sha: 'c0ffee',
  eventName: 'push',
  workflow: 'Reset MFA',
  serverUrl: 'https://github.com',
  apiUrl: 'http://127.0.0.1:1',
  workspace: '/ws',
  version: '1.0.0',
};
const settings = (mode: ApprovalSettings['mode']): ApprovalSettings => ({ mode, githubToken: 'ghs_x', userTag: undefined, request: undefined });

function fakeGitHub(api: Partial<GitHubApi>) {
  const connect = vi.fn(async (_connection: GitHubConnection) => ({
    runApprovals: vi.fn(async () => []),
    commitPullRequests: vi.fn(async () => []),
    reviews: vi.fn(async () => []),
    ...api,
  }));
  return { connect, signal: new AbortController().signal };
}

describe('checkApproval and requireApproved', () => {
  it('none: no GitHub call at all, and approved', async () => {
    const deps = fakeGitHub({});
    const check = await checkApproval(settings('none'), RUN, deps);
    expect(deps.connect).not.toHaveBeenCalled();
    expect(check).toMatchObject({ mode: 'none', requester: 'erin', refusal: undefined });
    expect(() => requireApproved(check)).not.toThrow();
  });

  it("environment: reads this run's approvals with the token, at GITHUB_API_URL", async () => {
    const runApprovals = vi.fn(async () => [{ reviewer: 'bob', state: 'approved' as const, environments: ['iam-admin'], comment: '' }]);
    const deps = fakeGitHub({ runApprovals });
    const check = await checkApproval(settings('environment'), RUN, deps);
    expect(deps.connect).toHaveBeenCalledWith(expect.objectContaining({ token: 'ghs_x', baseUrl: RUN.apiUrl, repository: RUN.repository }));
    expect(runApprovals).toHaveBeenCalledWith(42);
    expect(check).toMatchObject({ approvers: ['bob'], requester: 'erin', refusal: undefined });
  });

  it('environment: a self-approval is refused, and the review log is still recorded', async () => {
    const log = [{ reviewer: 'erin', state: 'approved' as const, environments: ['iam-admin'], comment: 'mine' }];
    const check = await checkApproval(settings('environment'), RUN, fakeGitHub({ runApprovals: async () => log }));
    expect(check.runApprovals).toEqual(log);
    expect(check.approvers).toEqual([]);
    expect(() => requireApproved(check)).toThrow(
      'require-approval: environment refused the run before any AWS call. Missing: an approval by someone other than @erin',
    );
  });

  it("pull-request: the requester becomes the pull request's author", async () => {
    const pull = { number: 7, author: 'dave', url: 'u', mergedAt: 't', mergeCommitSha: 'c0ffee', headSha: 'h' };
    const reviews = vi.fn(async () => [{ reviewer: 'bob', state: 'APPROVED', commitId: 'h' }]);
    const check = await checkApproval(settings('pull-request'), RUN, fakeGitHub({ commitPullRequests: async () => [pull], reviews }));
    expect(reviews).toHaveBeenCalledWith(7);
    expect(check).toMatchObject({ requester: 'dave', approvers: ['bob'], pullRequest: pull, refusal: undefined });
  });

  it('pull-request: a commit pushed without a pull request is refused', async () => {
    const check = await checkApproval(settings('pull-request'), RUN, fakeGitHub({}));
    expect(() => requireApproved(check)).toThrow('Missing: a merged pull request for commit c0ffee');
  });

  it('without GITHUB_REPOSITORY: refused before any GitHub call', async () => {
    const deps = fakeGitHub({});
    await expect(checkApproval(settings('environment'), { ...RUN, repository: undefined }, deps)).rejects.toThrow('needs GITHUB_REPOSITORY');
    expect(deps.connect).not.toHaveBeenCalled();
  });
});
