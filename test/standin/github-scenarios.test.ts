// The stand-in's GitHub scenarios, read through Octokit as the action reads GitHub: who may read
// what (each endpoint's permission), re-runs and the approvals they carry, accounts that cannot
// approve, the pull request a pushed commit belongs to after each kind of merge, renamed and
// reclaimed logins, paging, and GitHub's rate limits on demand.
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../standin/github.ts';
import { startStandin, type Permissions, type Standin } from '../../standin/index.ts';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin();
});
afterEach(async () => {
  await standin.close();
});

const repo = { owner: 'octo', repo: 'app' };
const octokit = (permissions: Permissions) => getOctokit(standin.github.issueToken(permissions), { baseUrl: standin.github.apiUrl });
const reader = () => octokit({ actions: 'read', deployments: 'read', 'pull-requests': 'read' });
async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string; headers: Record<string, string> }> {
  const error = (await promise.then(() => undefined).catch((e: unknown) => e)) as {
    status: number;
    response?: { data?: { message?: string }; headers?: Record<string, string> };
  };
  if (!error) throw new Error('expected a refusal');
  return { status: error.status, message: error.response?.data?.message ?? '', headers: error.response?.headers ?? {} };
}

describe("each endpoint's permission, as GitHub's permission tables list it", () => {
  // github/docs src/github-apps/data/fpt-2022-11-28/server-to-server-permissions.json
  const table: { name: string; needs: string; path: (ids: Ids) => string }[] = [
    { name: 'actions.getWorkflowRun', needs: 'actions', path: (ids) => `/repos/octo/app/actions/runs/${ids.run}` },
    { name: 'actions.getWorkflowRunAttempt', needs: 'actions', path: (ids) => `/repos/octo/app/actions/runs/${ids.run}/attempts/1` },
    { name: 'actions.listJobsForWorkflowRunAttempt', needs: 'actions', path: (ids) => `/repos/octo/app/actions/runs/${ids.run}/attempts/1/jobs` },
    { name: 'actions.getReviewsForRun', needs: 'actions', path: (ids) => `/repos/octo/app/actions/runs/${ids.run}/approvals` },
    { name: 'actions.getPendingDeploymentsForRun', needs: 'actions', path: (ids) => `/repos/octo/app/actions/runs/${ids.run}/pending_deployments` },
    { name: 'repos.listDeployments', needs: 'deployments', path: () => '/repos/octo/app/deployments' },
    { name: 'repos.listDeploymentStatuses', needs: 'deployments', path: (ids) => `/repos/octo/app/deployments/${ids.deployment}/statuses` },
    { name: 'repos.listPullRequestsAssociatedWithCommit', needs: 'pull-requests', path: (ids) => `/repos/octo/app/commits/${ids.sha}/pulls` },
    { name: 'pulls.get', needs: 'pull-requests or contents', path: () => '/repos/octo/app/pulls/1' },
    { name: 'pulls.listReviews', needs: 'pull-requests', path: () => '/repos/octo/app/pulls/1/reviews' },
    { name: 'pulls.listFiles', needs: 'pull-requests', path: () => '/repos/octo/app/pulls/1/files' },
    { name: 'repos.getCollaboratorPermissionLevel', needs: 'metadata (every token)', path: () => '/repos/octo/app/collaborators/bob/permission' },
  ];
  interface Ids {
    run: number;
    deployment: number;
    sha: string;
  }
  const setUp = async (): Promise<Ids> => {
    const run = standin.github.run({ actor: 'alice' }).approve('bob');
    const pull = standin.github.pullRequest({ author: 'alice', files: ['mfa-resets/a.yml'] });
    const sha = pull.merge({ by: 'bob' });
    const { data } = await reader().rest.repos.listDeployments({ ...repo });
    return { run: run.id, deployment: data[0]!.id, sha };
  };
  const scopes: Permissions = { actions: 'read', contents: 'read', deployments: 'read', 'pull-requests': 'read' };

  it('the table covers every endpoint the stand-in serves', () => {
    expect(table.map((row) => row.name).sort()).toEqual(ENDPOINTS.map((endpoint) => endpoint.name).sort());
  });

  it.each(table)('$name needs $needs', async ({ name, needs, path }) => {
    const ids = await setUp();
    const request = (permissions: Permissions) => octokit(permissions).request(`GET ${path(ids)}`);
    const wanted = needs.split(' or ').filter((scope) => scope in scopes) as (keyof Permissions)[];
    // Every other permission, at write: still refused.
    const others = Object.fromEntries(
      Object.keys(scopes)
        .filter((scope) => !wanted.includes(scope as keyof Permissions))
        .map((scope) => [scope, 'write']),
    );
    if (wanted.length === 0) {
      expect((await request({})).status).toBe(200);
      return;
    }
    const refused = await failure(request(others));
    expect(refused).toMatchObject({ status: 403, message: 'Resource not accessible by integration' });
    expect(refused.headers['x-accepted-github-permissions']).toBe(wanted.map((scope) => `${scope.replace('-', '_')}=read`).join('; '));
    for (const scope of wanted) expect((await request({ [scope]: 'read' })).status).toBe(200);
    expect(standin.requests.at(-1)?.action).toBe(name);
  });
});

describe('re-runs: the review log keeps every attempt, without saying which', () => {
  it('a re-run that finishes an interrupted, approved reset: approved again on attempt 2', async () => {
    const run = standin.github.run({ actor: 'alice', event: 'workflow_dispatch', environment: 'iam-admin' });
    standin.github.collaborator('bob', 'write');
    run.approve('bob', { comment: 'Confirmed by phone' });
    run.rerun({ by: 'erin' }).approve('bob', { comment: 'Again, after the outage' });
    const api = reader();

    const { data: attempt } = await api.rest.actions.getWorkflowRunAttempt({ ...repo, run_id: run.id, attempt_number: 2 });
    const { data: first } = await api.rest.actions.getWorkflowRunAttempt({ ...repo, run_id: run.id, attempt_number: 1 });
    const { data: latest } = await api.rest.actions.getWorkflowRun({ ...repo, run_id: run.id });
    const { data: approvals } = await api.rest.actions.getReviewsForRun({ ...repo, run_id: run.id });
    const { data: deployments } = await api.rest.repos.listDeployments({ ...repo, sha: run.sha, environment: 'iam-admin' });
    const { data: jobs } = await api.rest.actions.listJobsForWorkflowRunAttempt({ ...repo, run_id: run.id, attempt_number: 2 });

    const alice = standin.github.account('alice');
    const erin = standin.github.account('erin');
    expect(latest).toMatchObject({ run_attempt: 2, actor: { login: 'alice', id: alice.id }, triggering_actor: { login: 'erin', id: erin.id } });
    expect(first).toMatchObject({ run_attempt: 1, triggering_actor: { id: alice.id }, previous_attempt_url: null });
    expect(attempt.previous_attempt_url).toMatch(new RegExp(`/actions/runs/${run.id}/attempts/1$`));
    expect(Date.parse(attempt.run_started_at!)).toBeGreaterThan(Date.parse(first.run_started_at!));
    expect(approvals.map((entry) => [entry.user.login, entry.state, entry.comment])).toEqual([
      ['bob', 'approved', 'Confirmed by phone'],
      ['bob', 'approved', 'Again, after the outage'],
    ]);
    // One deployment per attempt, newest first, each pointing at its attempt's job.
    expect(deployments).toHaveLength(2);
    expect(deployments[0]).toMatchObject({ sha: run.sha, task: 'deploy', environment: 'iam-admin', performed_via_github_app: { slug: 'github-actions' } });
    const { data: statuses } = await api.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: deployments[0]!.id });
    expect(statuses.map((status) => status.state as string)).toEqual(['in_progress', 'queued', 'waiting']);
    expect(statuses[0]!.log_url).toBe(`https://github.com/octo/app/actions/runs/${run.id}/job/${jobs.jobs[0]!.id}`);
    expect(jobs.jobs[0]).toMatchObject({ run_attempt: 2, status: 'in_progress' });
    expect(run.runner().env).toMatchObject({
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_ACTOR: 'alice',
      GITHUB_ACTOR_ID: String(alice.id),
      GITHUB_TRIGGERING_ACTOR: 'erin',
    });
  });

  it("a re-run that replays attempt 1's approval: no new review, and its deployment never waited", async () => {
    const run = standin.github.run({ actor: 'alice' }).approve('bob');
    run.rerun({ by: 'mallory', waitsForReview: false });
    const api = reader();
    const { data: approvals } = await api.rest.actions.getReviewsForRun({ ...repo, run_id: run.id });
    const { data: deployments } = await api.rest.repos.listDeployments({ ...repo, sha: run.sha });
    const { data: statuses } = await api.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: deployments[0]!.id });
    const { data: latest } = await api.rest.actions.getWorkflowRun({ ...repo, run_id: run.id });

    expect(approvals.map((entry) => entry.user.login)).toEqual(['bob']);
    expect(latest.triggering_actor?.login).toBe('mallory');
    expect(statuses.map((status) => status.state as string)).toEqual(['in_progress']);
  });

  it('a run still waiting for reviewers has a pending deployment; a rejected one fails', async () => {
    standin.github.collaborator('erin', 'admin');
    const waiting = standin.github.run({ actor: 'alice' });
    const rejected = standin.github.run({ actor: 'alice' }).reject('erin', { comment: 'no' });
    const api = reader();
    const { data: pending } = await api.rest.actions.getPendingDeploymentsForRun({ ...repo, run_id: waiting.id });
    expect(pending).toMatchObject([
      { environment: { name: 'iam-admin' }, current_user_can_approve: false, reviewers: [{ type: 'User', reviewer: { login: 'erin' } }] },
    ]);
    expect((await api.rest.actions.getWorkflowRun({ ...repo, run_id: rejected.id })).data).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect((await api.rest.actions.getReviewsForRun({ ...repo, run_id: rejected.id })).data).toMatchObject([{ state: 'rejected', user: { login: 'erin' } }]);
  });
});

describe('who can approve: permission, not author_association', () => {
  it.each([
    { name: 'an admin', set: () => standin.github.collaborator('ann', 'admin'), permission: 'admin', role: 'admin', association: 'COLLABORATOR' },
    { name: 'a maintainer', set: () => standin.github.member('ann', 'maintain'), permission: 'write', role: 'maintain', association: 'MEMBER' },
    { name: 'a writer', set: () => standin.github.collaborator('ann', 'write'), permission: 'write', role: 'write', association: 'COLLABORATOR' },
    { name: 'a triager', set: () => standin.github.collaborator('ann', 'triage'), permission: 'read', role: 'triage', association: 'COLLABORATOR' },
    { name: 'a read-only collaborator', set: () => standin.github.collaborator('ann', 'read'), permission: 'read', role: 'read', association: 'COLLABORATOR' },
    { name: 'an org member without a role of their own', set: () => standin.github.member('ann'), permission: 'read', role: 'read', association: 'MEMBER' },
    { name: 'a stranger', set: () => standin.github.account('ann'), permission: 'none', role: 'none', association: 'NONE' },
    { name: 'a bot', set: () => standin.github.account('github-actions[bot]'), permission: 'none', role: 'none', association: 'NONE' },
  ])('$name: permission $permission, role $role, $association', async ({ set, permission, role, association }) => {
    const account = set();
    const pull = standin.github.pullRequest({ author: 'alice' }).approve(account.login);
    const api = octokit({ 'pull-requests': 'read' });
    const { data } = await api.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: account.login });
    const { data: reviews } = await api.rest.pulls.listReviews({ ...repo, pull_number: pull.number });
    expect(data).toMatchObject({ permission, role_name: role, user: { login: account.login, id: account.id, type: account.type } });
    expect(reviews[0]).toMatchObject({ state: 'APPROVED', user: { id: account.id }, author_association: association });
  });

  it('github-actions[bot] has its real id and type Bot; a deleted reviewer is user: null; an unknown login is 404', async () => {
    const pull = standin.github.pullRequest({ author: 'alice' }).approve('github-actions[bot]').approve(null);
    const api = octokit({ 'pull-requests': 'read' });
    const { data: reviews } = await api.rest.pulls.listReviews({ ...repo, pull_number: pull.number });
    expect(reviews.map((review) => review.user && [review.user.login, review.user.id, review.user.type])).toEqual([
      ['github-actions[bot]', 41898282, 'Bot'],
      null,
    ]);
    expect(await failure(api.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'no-such-user' }))).toMatchObject({
      status: 404,
      message: 'Not Found',
    });
  });

  it('on a public repository everybody reads; with no organization base role, members have none', async () => {
    standin.github.account('stranger');
    standin.github.member('member');
    const api = octokit({});
    const level = async (username: string) => (await api.rest.repos.getCollaboratorPermissionLevel({ ...repo, username })).data.permission;
    standin.github.configure({ visibility: 'public' });
    expect(await level('stranger')).toBe('read');
    standin.github.configure({ visibility: 'private', baseRole: null });
    expect(await level('member')).toBe('none');
  });

  it('pending reviews are drafts nobody else sees; dismissed ones say DISMISSED', async () => {
    const pull = standin.github.pullRequest({ author: 'alice' }).review('bob', 'PENDING').review('carol', 'DISMISSED').approve('dave');
    const { data } = await octokit({ 'pull-requests': 'read' }).rest.pulls.listReviews({ ...repo, pull_number: pull.number });
    expect(data.map((review) => `${review.user?.login}:${review.state}`)).toEqual(['carol:DISMISSED', 'dave:APPROVED']);
  });
});

describe("the pushed commit's pull request, after each kind of merge", () => {
  const REQUEST = 'mfa-resets/2026-11-24-alice.yml';
  const pullsOf = async (sha: string) =>
    (
      await octokit({ 'pull-requests': 'read' }).paginate('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { ...repo, commit_sha: sha, per_page: 100 })
    ).map((pull) => ({
      number: pull.number,
      base: pull.base.ref,
      merged: pull.merged_at !== null,
      merge_commit_sha: pull.merge_commit_sha,
      head: pull.head.sha,
    }));

  it.each(['merge', 'squash', 'rebase'] as const)('%s: merge_commit_sha is the pushed commit, base is the pushed branch', async (kind) => {
    const pull = standin.github
      .pullRequest({ author: 'alice', files: [REQUEST], commits: [standin.github.commit({ branch: 'reset-request-1' })] })
      .approve('bob');
    const pushed = pull.merge({ kind, by: 'bob' });
    expect(await pullsOf(pushed)).toEqual([{ number: pull.number, base: 'main', merged: true, merge_commit_sha: pushed, head: pull.headSha }]);
    expect(pushed).not.toBe(pull.headSha);
    const { data } = await octokit({ 'pull-requests': 'read' }).rest.pulls.get({ ...repo, pull_number: pull.number });
    expect(data).toMatchObject({ merged: true, merge_commit_sha: pushed, merged_by: { login: 'bob' }, base: { ref: 'main', repo: { full_name: 'octo/app' } } });
    const { data: files } = await octokit({ 'pull-requests': 'read' }).rest.pulls.listFiles({ ...repo, pull_number: pull.number });
    expect(files).toMatchObject([{ filename: REQUEST, status: 'added' }]);
  });

  it('a merge queue of one and of two: each pull request has its own merge commit; the push is the last', async () => {
    const one = standin.github.pullRequest({ author: 'alice', files: [REQUEST] });
    const alone = standin.github.mergeQueue([one], { by: 'bob' });
    expect(await pullsOf(alone)).toMatchObject([{ number: one.number, merge_commit_sha: alone }]);

    const first = standin.github.pullRequest({ author: 'alice', files: [REQUEST] });
    const second = standin.github.pullRequest({ author: 'mallory', files: ['README.md'] });
    const pushed = standin.github.mergeQueue([first, second], { by: 'bob' });
    expect(await pullsOf(pushed)).toMatchObject([{ number: second.number, merge_commit_sha: pushed }]);
    expect(first.mergeCommitSha).not.toBe(pushed);
    // A scenario can make GitHub list several pull requests for one commit.
    standin.github.associate(pushed, [second.number, first.number]);
    expect((await pullsOf(pushed)).map((pull) => pull.number)).toEqual([second.number, first.number]);
  });

  it('the wrong pull request: a commit pushed to release also lists an open pull request into main', async () => {
    standin.github.configure({ defaultBranch: 'main' });
    const right = standin.github.pullRequest({ author: 'alice', base: 'release', files: [REQUEST] });
    const pushed = right.merge({ by: 'bob' });
    const wrong = standin.github.pullRequest({ author: 'mallory', base: 'main', headSha: pushed, files: [{ filename: REQUEST, status: 'modified' }] });
    expect(await pullsOf(pushed)).toEqual([
      { number: right.number, base: 'release', merged: true, merge_commit_sha: pushed, head: right.headSha },
      { number: wrong.number, base: 'main', merged: false, merge_commit_sha: expect.stringMatching(/^[0-9a-f]{40}$/), head: pushed },
    ]);
    // An open pull request's merge_commit_sha is GitHub's test merge commit: never the pushed one, and on no branch.
    const [, open] = await pullsOf(pushed);
    expect(open!.merge_commit_sha).not.toBe(pushed);
  });

  it('a pull request from a fork names the fork as head.repo; a renamed request file names its old path', async () => {
    const pull = standin.github.pullRequest({
      author: 'mallory',
      fork: 'mallory',
      files: [{ filename: REQUEST, status: 'renamed', previousFilename: 'docs/x.yml' }],
    });
    const api = octokit({ 'pull-requests': 'read' });
    const { data } = await api.rest.pulls.get({ ...repo, pull_number: pull.number });
    expect(data.head).toMatchObject({ label: `mallory:${data.head.ref}`, repo: { full_name: 'mallory/app', fork: true, owner: { login: 'mallory' } } });
    expect(data.base.repo.full_name).toBe('octo/app');
    expect((await api.rest.pulls.listFiles({ ...repo, pull_number: pull.number })).data).toMatchObject([
      { status: 'renamed', filename: REQUEST, previous_filename: 'docs/x.yml' },
    ]);
  });

  it('an approval of an older head commit keeps that commit; an unknown commit is 422', async () => {
    const pull = standin.github.pullRequest({ author: 'alice' }).approve('bob');
    const first = pull.headSha;
    pull.push();
    pull.approve('carol');
    const api = octokit({ 'pull-requests': 'read' });
    const { data } = await api.rest.pulls.listReviews({ ...repo, pull_number: pull.number });
    expect(data.map((review) => review.commit_id)).toEqual([first, pull.headSha]);
    expect(await failure(api.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: 'f'.repeat(40) }))).toMatchObject({
      status: 422,
      message: `No commit found for SHA: ${'f'.repeat(40)}`,
    });
  });
});

describe('identity is the account id: logins are renamed and reclaimed', () => {
  it('a rename keeps the id and shows the new login everywhere; the old login can be taken by someone else', async () => {
    const bob = standin.github.collaborator('bob', 'write');
    const run = standin.github.run({ actor: 'bob' }).approve('bob');
    const pull = standin.github.pullRequest({ author: 'alice' }).approve('bob');
    standin.github.rename('bob', 'robert');
    const impostor = standin.github.account('bob');
    const api = reader();

    expect(impostor.id).not.toBe(bob.id);
    expect((await api.rest.actions.getReviewsForRun({ ...repo, run_id: run.id })).data[0]!.user).toMatchObject({ login: 'robert', id: bob.id });
    expect((await api.rest.pulls.listReviews({ ...repo, pull_number: pull.number })).data[0]!.user).toMatchObject({ login: 'robert', id: bob.id });
    expect((await api.rest.actions.getWorkflowRun({ ...repo, run_id: run.id })).data.actor).toMatchObject({ login: 'robert', id: bob.id });
    // The runner's variables are what they were when the run started.
    expect(run.runner().env).toMatchObject({ GITHUB_ACTOR: 'bob', GITHUB_ACTOR_ID: String(bob.id) });
    const level = await api.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'bob' });
    expect(level.data).toMatchObject({ permission: 'none', user: { id: impostor.id } });
    expect(() => standin.github.account({ login: 'robert', id: 5 })).toThrow('rename it first');
  });
});

describe('paging and rate limits', () => {
  it("pages every list with per_page and GitHub's Link header, which Octokit follows", async () => {
    const pulls = Array.from({ length: 35 }, () => standin.github.pullRequest({ author: 'alice' }));
    const sha = standin.github.commit();
    standin.github.associate(
      sha,
      pulls.map((pull) => pull.number),
    );
    const many = standin.github.pullRequest({ author: 'alice', files: Array.from({ length: 75 }, (_, i) => `f${i}.txt`) });
    const api = octokit({ 'pull-requests': 'read' });
    const first = await api.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha });
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toMatch(/\/repositories\/\d+\/commits\/[0-9a-f]{40}\/pulls\?page=2>; rel="next", <[^>]+\?page=2>; rel="last"$/);
    expect(await api.paginate(api.rest.repos.listPullRequestsAssociatedWithCommit, { ...repo, commit_sha: sha })).toHaveLength(35);
    expect(await api.paginate(api.rest.pulls.listFiles, { ...repo, pull_number: many.number, per_page: 50 })).toHaveLength(75);
  });

  it('counts the hourly limit down; injects primary and secondary rate limits once, N times or always', async () => {
    const run = standin.github.run({ actor: 'alice' });
    const api = octokit({ actions: 'read' });
    const get = () => api.rest.actions.getWorkflowRun({ ...repo, run_id: run.id });
    const ok = await get();
    expect(ok.headers).toMatchObject({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '999', 'x-ratelimit-used': '1', 'x-ratelimit-resource': 'core' });

    standin.github.faults.inject({ endpoint: 'actions.getWorkflowRun', kind: 'primary-rate-limit' });
    const primary = await failure(get());
    expect(primary).toMatchObject({ status: 403, message: expect.stringMatching(/^API rate limit exceeded for installation ID \d+\.$/) });
    expect(primary.headers).toMatchObject({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': expect.stringMatching(/^\d+$/) });
    expect((await get()).status).toBe(200);

    standin.github.faults.inject({ endpoint: '*', kind: 'secondary-rate-limit', status: 429, retryAfter: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const secondary = await failure(get());
      expect(secondary).toMatchObject({
        status: 429,
        message: expect.stringContaining('You have exceeded a secondary rate limit'),
        headers: { 'retry-after': '7' },
      });
    }
    expect((await get()).status).toBe(200);

    standin.github.faults.inject({ endpoint: 'actions.getWorkflowRun', kind: 'secondary-rate-limit', times: 'always', after: 1 });
    expect((await get()).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await failure(get())).status).toBe(403);
    standin.github.faults.clear();
    expect((await get()).status).toBe(200);
    expect(standin.requests.filter((entry) => entry.service === 'github').map((entry) => entry.status)).toEqual([
      200, 403, 200, 429, 429, 200, 200, 403, 403, 403, 200,
    ]);
  });

  it('drops the connection on demand', async () => {
    const run = standin.github.run({ actor: 'alice' });
    standin.github.faults.inject({ endpoint: 'actions.getWorkflowRun', kind: 'reset' });
    const error = (await octokit({ actions: 'read' })
      .rest.actions.getWorkflowRun({ ...repo, run_id: run.id })
      .catch((e: unknown) => e)) as Error;
    expect(String(error.message)).toMatch(/fetch failed|socket|terminated|other side closed/i);
    expect(standin.requests.at(-1)).toMatchObject({ action: 'actions.getWorkflowRun', status: 0, outcome: 'connection reset' });
  });
});
