// The stand-in's GitHub REST endpoints, read by Octokit (as the action reads them) and by the
// action's own client: GitHub's shapes, Link paging, and its 401/403/404/422 answers.
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { octokitConnector } from '../../src/approvals/github.ts';
import { startStandin, type Standin } from '../../standin/index.ts';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin();
});
afterEach(async () => {
  await standin.close();
});

const repo = { owner: 'octo', repo: 'app' };
const HEAD = 'a'.repeat(40);
const MERGE = 'b'.repeat(40);
const octokit = (token: string) => getOctokit(token, { baseUrl: standin.github.apiUrl });
const connect = (token: string) =>
  octokitConnector({ token, repository: repo, baseUrl: standin.github.apiUrl, signal: new AbortController().signal, remainingMs: () => 60_000 });
async function rejection(promise: Promise<unknown>): Promise<{ status: unknown; message: unknown; data: unknown }> {
  const error = (await promise.then(() => ({})).catch((e: unknown) => e)) as { status?: unknown; message?: unknown; response?: { data?: unknown } };
  return { status: error.status, message: error.message, data: error.response?.data };
}

describe('GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals', () => {
  it("answers the review log in GitHub's shape, and logs the call", async () => {
    const token = standin.github.issueToken({ actions: 'read' });
    standin.github.setRunApprovals(4242, [{ login: 'bob', state: 'approved', environments: ['iam-admin'], comment: 'lost phone, confirmed by call' }]);

    const { data, status, headers } = await octokit(token).rest.actions.getReviewsForRun({ ...repo, run_id: 4242 });

    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(data).toEqual([
      {
        environments: [
          expect.objectContaining({ name: 'iam-admin', id: expect.any(Number), html_url: expect.stringContaining('environments_filter=iam-admin') }),
        ],
        state: 'approved',
        comment: 'lost phone, confirmed by call',
        user: expect.objectContaining({ login: 'bob', id: expect.any(Number), type: 'User', html_url: 'https://github.com/bob' }),
      },
    ]);
    expect(standin.requests.map(({ service, action, identity, params, status: s }) => ({ service, action, identity, params, status: s }))).toEqual([
      { service: 'github', action: 'actions.getReviewsForRun', identity: 'token-1', params: { owner: 'octo', repo: 'app', run_id: '4242' }, status: 200 },
    ]);
    expect(await (await connect(token)).runApprovals(4242)).toEqual([
      {
        reviewer: { login: 'bob', id: expect.any(Number), type: 'User' },
        state: 'approved',
        environments: ['iam-admin'],
        comment: 'lost phone, confirmed by call',
      },
    ]);
  });

  it.each([
    {
      name: 'a token without actions: read',
      permissions: { contents: 'read' as const },
      runId: 4242,
      status: 403,
      message: 'Resource not accessible by integration',
    },
    { name: 'an unknown run', permissions: { actions: 'read' as const }, runId: 999, status: 404, message: 'Not Found' },
  ])('refuses $name with $status', async ({ permissions, runId, status, message }) => {
    standin.github.setRunApprovals(4242, []);
    const token = standin.github.issueToken(permissions);
    expect(await rejection(octokit(token).rest.actions.getReviewsForRun({ ...repo, run_id: runId }))).toEqual({
      status,
      message: `${message} - https://docs.github.com/rest/actions/workflow-runs#get-the-review-history-for-a-workflow-run`,
      data: {
        message,
        documentation_url: 'https://docs.github.com/rest/actions/workflow-runs#get-the-review-history-for-a-workflow-run',
        status: String(status),
      },
    });
  });

  it('refuses an unknown token (401 Bad credentials) and another repository (404)', async () => {
    standin.github.setRunApprovals(1, []);
    expect(await rejection(octokit('ghs_forged').rest.actions.getReviewsForRun({ ...repo, run_id: 1 }))).toMatchObject({
      status: 401,
      data: { message: 'Bad credentials' },
    });
    const token = standin.github.issueToken({ actions: 'read' });
    expect(await rejection(octokit(token).rest.actions.getReviewsForRun({ owner: 'octo', repo: 'other', run_id: 1 }))).toMatchObject({ status: 404 });
    await expect((await connect('ghs_forged')).runApprovals(1)).rejects.toThrow(
      "GitHub refused github-token while reading this run's environment approvals (401 Bad credentials)",
    );
  });
});

describe('pull requests and reviews', () => {
  beforeEach(() => {
    standin.github.addPullRequest({
      number: 7,
      author: 'dave',
      headSha: HEAD,
      mergeCommitSha: MERGE,
      reviews: [
        { login: 'bob', state: 'APPROVED', commitId: 'c'.repeat(40) },
        { login: 'carol', state: 'COMMENTED', commitId: HEAD },
        { login: 'bob', state: 'APPROVED', commitId: HEAD },
        { login: 'erin', state: 'CHANGES_REQUESTED', commitId: HEAD },
        { login: 'erin', state: 'DISMISSED', commitId: HEAD },
      ],
    });
  });

  it("finds a merge commit's pull request, merged, with its final head", async () => {
    // GitHub lists this endpoint under "Pull requests" (read), not "Contents".
    const token = standin.github.issueToken({ 'pull-requests': 'read' });
    const { data } = await octokit(token).rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: MERGE });
    expect(data).toEqual([
      expect.objectContaining({
        number: 7,
        state: 'closed',
        merged_at: expect.any(String),
        merge_commit_sha: MERGE,
        head: expect.objectContaining({ sha: HEAD }),
        user: expect.objectContaining({ login: 'dave' }),
      }),
    ]);
    // A commit pushed without a pull request belongs to none; an unknown one is 422 below.
    standin.github.commit({ sha: 'd'.repeat(40) });
    expect(await (await connect(token)).commitPullRequests('d'.repeat(40))).toEqual([]);
    expect(await rejection(octokit(token).rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: 'nope' }))).toMatchObject({
      status: 422,
      data: { message: 'No commit found for SHA: nope' },
    });
  });

  it("pages reviews with Link headers, which Octokit and the action's client follow", async () => {
    standin.github.pageSize = 2;
    const token = standin.github.issueToken({ 'pull-requests': 'read' });
    const first = await octokit(token).rest.pulls.listReviews({ ...repo, pull_number: 7, per_page: 100 });
    expect(first.data).toHaveLength(2);
    expect(first.headers.link).toMatch(
      /<http:\/\/127\.0\.0\.1:\d+\/github\/repositories\/\d+\/pulls\/7\/reviews\?per_page=2&page=2>; rel="next", <[^>]+page=3>; rel="last"/,
    );
    expect(first.data[0]).toMatchObject({ state: 'APPROVED', commit_id: 'c'.repeat(40), user: { login: 'bob' }, submitted_at: expect.stringMatching(/Z$/) });

    const reviews = await (await connect(token)).reviews(7);

    expect(reviews.map((r) => `${r.reviewer?.login}:${r.state}`)).toEqual([
      'bob:APPROVED',
      'carol:COMMENTED',
      'bob:APPROVED',
      'erin:CHANGES_REQUESTED',
      'erin:DISMISSED',
    ]);
    expect(standin.requests.filter((entry) => entry.action === 'pulls.listReviews')).toHaveLength(4);
  });

  it('refuses reviews to a token without pull-requests: read, naming the permission', async () => {
    const token = standin.github.issueToken({ contents: 'read' });
    await expect((await connect(token)).reviews(7)).rejects.toThrow(
      "The job's token may not read the pull request's reviews (403 Resource not accessible by integration): add `pull-requests: read`",
    );
  });
});
