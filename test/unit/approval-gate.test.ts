// The gate with a fake GitHub: which calls it makes per mode, who it asks about, and that a refusal
// leaves a record. The decisions themselves are tabled in approvals.test.ts.
import { describe, expect, it, vi } from 'vitest';
import { checkApproval, requireApproved } from '../../src/approvals/gate.ts';
import type { GitHubApi, GitHubConnection, RunInfo } from '../../src/approvals/github.ts';
import type { Person, PullRequest } from '../../src/record.ts';
import type { RunFacts } from '../../src/runner/context.ts';
import type { ApprovalSettings } from '../../src/settings.ts';

const ERIN: Person = { login: 'erin', id: 5, type: 'User' };
const BOB: Person = { login: 'bob', id: 2, type: 'User' };
const DAVE: Person = { login: 'dave', id: 4, type: 'User' };
const SHA = 'c0ffee0000000000000000000000000000000000';
const HEAD = 'ead0000000000000000000000000000000000000';
const NOW = Date.parse('2026-12-01T12:00:00Z');

const RUN: RunFacts = {
  actor: 'erin',
  actorId: 5,
  triggeringActor: 'erin',
  repository: { owner: 'octo', repo: 'app' },
  runId: 42,
  runAttempt: 1,
  sha: SHA,
  ref: 'refs/heads/main',
  eventName: 'push',
  workflow: 'MFA reset requests',
  serverUrl: 'https://github.com',
  apiUrl: 'http://127.0.0.1:1',
  workspace: '/ws',
  version: '1.0.0',
};
const REQUEST = { file: 'mfa-resets/2026-12-01-alice.yml', userName: 'alice', reason: 'lost phone', ticket: undefined };
const settings = (mode: ApprovalSettings['mode']): ApprovalSettings => ({
  mode,
  githubToken: 'ghs_x',
  userTag: undefined,
  request: mode === 'pull-request' ? REQUEST : undefined,
  maxAgeHours: 24,
});
const PULL: PullRequest = { number: 7, author: DAVE, url: 'u', baseRef: 'main', mergedAt: '2026-12-01T11:00:00Z', mergeCommitSha: SHA, headSha: HEAD };

function fakeGitHub(api: Partial<GitHubApi>, info: Partial<RunInfo> = {}) {
  const github = {
    run: vi.fn(async () => ({ attempt: 1, actor: ERIN, triggeringActor: ERIN, ...info })),
    runApprovals: vi.fn(async () => []),
    commitPullRequests: vi.fn(async () => [PULL]),
    pullFiles: vi.fn(async () => [{ filename: REQUEST.file, status: 'added' }]),
    reviews: vi.fn(async () => [{ reviewer: BOB, state: 'APPROVED', commitId: HEAD, submittedAt: '2026-12-01T10:00:00Z' }]),
    permission: vi.fn(async () => ({ permission: 'write' as const, role: 'maintain' })),
    ...api,
  };
  const connect = vi.fn(async (_connection: GitHubConnection) => github);
  return { github, deps: { connect, signal: new AbortController().signal, remainingMs: () => 60_000, now: () => NOW } };
}

describe('checkApproval', () => {
  it('none: no GitHub call at all; the actor is the requester, by id', async () => {
    const { deps } = fakeGitHub({});
    const record = await checkApproval(settings('none'), RUN, deps);
    expect(deps.connect).not.toHaveBeenCalled();
    expect(record).toMatchObject({ refusal: undefined, requester: { login: 'erin', id: 5 } });
  });

  it("environment: reads the run and its approvals with the token, at GITHUB_API_URL, and each candidate's permission", async () => {
    const runApprovals = vi.fn(async () => [{ reviewer: BOB, state: 'approved' as const, environments: ['iam-admin'], comment: '' }]);
    const { deps, github } = fakeGitHub({ runApprovals });
    const record = await checkApproval(settings('environment'), RUN, deps);
    expect(deps.connect).toHaveBeenCalledWith(expect.objectContaining({ token: 'ghs_x', baseUrl: RUN.apiUrl, repository: RUN.repository }));
    expect(github.run).toHaveBeenCalledWith(42);
    expect(github.permission).toHaveBeenCalledWith(BOB);
    expect(record).toMatchObject({ refusal: undefined, approvers: [{ login: 'bob', id: 2, permission: 'write', role: 'maintain' }] });
    expect(record.permissions).toEqual([{ login: 'bob', id: 2, permission: 'write', role: 'maintain' }]);
  });

  it('environment: a self-approval under a new login is refused by id, the review log still recorded, and nobody asked about', async () => {
    const log = [{ reviewer: { ...ERIN, login: 'erin-new' }, state: 'approved' as const, environments: ['iam-admin'], comment: 'mine' }];
    const { deps, github } = fakeGitHub({ runApprovals: async () => log });
    const record = await checkApproval(settings('environment'), RUN, deps);
    expect(record.runApprovals).toEqual(log);
    expect(github.permission).not.toHaveBeenCalled();
    expect(() => requireApproved(record)).toThrow(
      'require-approval: environment refused the run before any AWS call. Missing: an approval by a person with write access',
    );
  });

  it('environment: a re-run (attempt 2) is refused even with an approval in the log: the log does not say which attempt it approved', async () => {
    const runApprovals = async () => [{ reviewer: BOB, state: 'approved' as const, environments: ['iam-admin'], comment: '' }];
    const { deps } = fakeGitHub({ runApprovals }, { attempt: 2, triggeringActor: BOB });
    const record = await checkApproval(settings('environment'), { ...RUN, runAttempt: 2 }, deps);
    expect(record).toMatchObject({ attempt: 2, refusal: expect.stringContaining('Dispatch a new run instead of re-running') });
  });

  it("pull-request: the requester becomes the pull request's author; approved at the review's time", async () => {
    const { deps, github } = fakeGitHub({});
    const record = await checkApproval(settings('pull-request'), RUN, deps);
    expect(github.pullFiles).toHaveBeenCalledWith(7);
    expect(github.reviews).toHaveBeenCalledWith(7);
    expect(record).toMatchObject({ refusal: undefined, requester: { login: 'dave', id: 4 }, pullRequest: PULL, approvedAt: '2026-12-01T10:00:00Z' });
  });

  it.each([
    { name: 'a dispatch run', run: { eventName: 'workflow_dispatch' }, api: {}, refusal: 'a push to a branch' },
    { name: 'a tag push', run: { ref: 'refs/tags/v1' }, api: {}, refusal: 'a push to a branch' },
    { name: 'a commit pushed without a pull request', run: {}, api: { commitPullRequests: async () => [] }, refusal: 'the commit belongs to none' },
    {
      name: 'a pull request that did not add the request file',
      run: {},
      api: { pullFiles: async () => [{ filename: REQUEST.file, status: 'modified' }] },
      refusal: `pull request #7 did not add it`,
    },
    {
      name: "the author's own approval",
      run: {},
      api: { reviews: async () => [{ reviewer: DAVE, state: 'APPROVED', commitId: HEAD, submittedAt: '2026-12-01T10:00:00Z' }] },
      refusal: '@dave authored the pull request',
    },
    {
      name: 'a read-only reviewer',
      run: {},
      api: { permission: async () => ({ permission: 'read' as const, role: 'triage' }) },
      refusal: '@bob has read permission',
    },
  ])('pull-request: refuses $name, naming it', async ({ run, api, refusal }) => {
    const { deps } = fakeGitHub(api);
    const record = await checkApproval(settings('pull-request'), { ...RUN, ...run }, deps);
    expect(record.refusal).toContain(refusal);
  });
});
