// The gate with a fake GitHub: which calls it makes per mode, and that a refusal leaves a record.
import { describe, expect, it, vi } from 'vitest';
import { newApprovalRecord, requireApproval, type RunFacts } from '../../src/approvals/gate.ts';
import type { ApprovalSettings } from '../../src/inputs/approval.ts';
import type { GitHubApi, GitHubConnection } from '../../src/approvals/github.ts';

const RUN: RunFacts = {
  actor: 'erin',
  triggeringActor: 'erin',
  repository: { owner: 'octo', repo: 'app' },
  runId: 42,
  sha: 'c0ffee',
  apiUrl: 'http://127.0.0.1:1',
};
const settings = (mode: ApprovalSettings['mode']): ApprovalSettings => ({
  mode,
  githubToken: 'ghs_x',
  userTag: undefined,
  request: undefined,
  roleSessionNameFrom: 'default',
});

function fakeGitHub(api: Partial<GitHubApi>) {
  const connect = vi.fn(async (_connection: GitHubConnection) => ({
    runApprovals: vi.fn(async () => []),
    commitPullRequests: vi.fn(async () => []),
    reviews: vi.fn(async () => []),
    ...api,
  }));
  return { connect, signal: new AbortController().signal };
}

describe('requireApproval', () => {
  it('none: no GitHub call at all', async () => {
    const deps = fakeGitHub({});
    await requireApproval(settings('none'), RUN, deps, newApprovalRecord('none', 'erin'));
    expect(deps.connect).not.toHaveBeenCalled();
  });

  it("environment: reads this run's approvals with the token, at GITHUB_API_URL", async () => {
    const runApprovals = vi.fn(async () => [{ reviewer: 'bob', state: 'approved' as const, environments: ['iam-admin'], comment: '' }]);
    const deps = fakeGitHub({ runApprovals });
    const record = newApprovalRecord('environment', 'erin');
    await requireApproval(settings('environment'), RUN, deps, record);
    expect(deps.connect).toHaveBeenCalledWith(expect.objectContaining({ token: 'ghs_x', baseUrl: RUN.apiUrl, repository: RUN.repository }));
    expect(runApprovals).toHaveBeenCalledWith(42);
    expect(record).toMatchObject({ approvers: ['bob'], requester: 'erin' });
  });

  it('environment: a self-approval is refused, and the review log is still recorded', async () => {
    const log = [{ reviewer: 'erin', state: 'approved' as const, environments: ['iam-admin'], comment: 'mine' }];
    const record = newApprovalRecord('environment', 'erin');
    await expect(requireApproval(settings('environment'), RUN, fakeGitHub({ runApprovals: async () => log }), record)).rejects.toThrow(
      'require-approval: environment refused the run before any AWS call. Missing: an approval by someone other than @erin',
    );
    expect(record.runApprovals).toEqual(log);
  });

  it("pull-request: the requester becomes the pull request's author", async () => {
    const pull = { number: 7, author: 'dave', url: 'u', mergedAt: 't', mergeCommitSha: 'c0ffee', headSha: 'h' };
    const reviews = vi.fn(async () => [{ reviewer: 'bob', state: 'APPROVED', commitId: 'h' }]);
    const record = newApprovalRecord('pull-request', 'erin');
    await requireApproval(settings('pull-request'), RUN, fakeGitHub({ commitPullRequests: async () => [pull], reviews }), record);
    expect(reviews).toHaveBeenCalledWith(7);
    expect(record).toMatchObject({ requester: 'dave', approvers: ['bob'], pullRequest: pull });
  });

  it('pull-request: a commit pushed without a pull request is refused', async () => {
    await expect(requireApproval(settings('pull-request'), RUN, fakeGitHub({}), newApprovalRecord('pull-request', 'erin'))).rejects.toThrow(
      'Missing: a merged pull request for commit c0ffee',
    );
  });
});
