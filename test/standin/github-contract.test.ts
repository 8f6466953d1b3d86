// The stand-in speaks GitHub's contract: every answer of every GitHub endpoint it serves (status,
// headers, body; every item of every page of a list), and every refusal, checked against GitHub's
// OpenAPI description of api.github.com (@octokit/openapi, standin/contract/github-openapi.ts),
// refusing properties the description does not declare. And the checker itself can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubOpenApi, type ContractCheck } from '../../standin/contract/github-openapi.ts';
import { ENDPOINTS } from '../../standin/github.ts';
import { startStandin, type Standin } from '../../standin/index.ts';

let standin: Standin;
const openapi = GitHubOpenApi.load();
const checks: ContractCheck[] = [];
const world = {
  runs: [] as { id: number; attempts: number }[],
  waitingRun: 0,
  deployments: [] as number[],
  pulls: [] as number[],
  commits: [] as string[],
  logins: [] as string[],
};

/**
 * Where GitHub answers what its own description does not allow. Each is listed with its evidence,
 * and the test below insists it still shows, so it is dropped once the description catches up.
 */
const KNOWN_GAPS = [
  {
    operationId: 'repos/list-deployment-statuses',
    // Actions marks a job's deployment `waiting` while reviewers have not approved (seen by runs-on/runs-on#386,
    // which reads these statuses); the description's enum for `state` has no `waiting`.
    error: /^\/\d+\/state must be equal to one of the allowed values: .*"in_progress"\]$/,
  },
];

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  url: string;
}

async function get(token: string | undefined, path: string): Promise<Answer> {
  const url = path.startsWith('http') ? path : `${standin.github.apiUrl}${path}`;
  const response = await fetch(url, { headers: { accept: 'application/vnd.github+json', ...(token !== undefined && { authorization: `Bearer ${token}` }) } });
  const text = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), body: text === '' ? undefined : JSON.parse(text), url };
}

/** Check one answer against the description, keeping the result for the coverage checks. */
function check(answer: Answer): ContractCheck {
  const path = answer.url.slice(standin.github.apiUrl.length);
  const result = openapi.check({ method: 'GET', path, status: answer.status, headers: answer.headers, body: answer.body });
  checks.push(result);
  return result;
}

function unexplained(result: ContractCheck): string[] {
  return result.errors.filter((error) => !KNOWN_GAPS.some((gap) => gap.operationId === result.operationId && gap.error.test(error)));
}

/** Every page of a list, following the Link header as a client does; each page checked. */
async function everyPage(token: string, path: string): Promise<Answer[]> {
  const pages: Answer[] = [];
  let next: string | undefined = path;
  while (next !== undefined && pages.length < 20) {
    const answer = await get(token, next);
    pages.push(answer);
    next = /<([^>]+)>; rel="next"/.exec(answer.headers['link'] ?? '')?.[1];
  }
  return pages;
}

beforeAll(async () => {
  standin = await startStandin();
  const gh = standin.github;
  gh.collaborator('erin', 'admin');
  gh.member('carol', 'maintain');
  gh.member('frank');
  gh.collaborator('bob', 'write');
  gh.collaborator('trish', 'triage');
  gh.collaborator('dave', 'read');
  gh.collaborator({ login: 'renovate[bot]' }, 'write');
  gh.account('mallory');
  gh.account('github-actions[bot]');
  gh.collaborator('robert', 'write');
  gh.rename('robert', 'bobby');
  gh.account('robert');
  world.logins = ['erin', 'carol', 'frank', 'bob', 'trish', 'dave', 'renovate[bot]', 'mallory', 'github-actions[bot]', 'bobby', 'robert'];

  // A dispatched run approved, re-run by another person and approved again; one rejected; one still waiting; one without an environment.
  const run = gh.run({ actor: 'alice', event: 'workflow_dispatch' }).approve('bob', { comment: 'Confirmed by phone' });
  run.rerun({ by: 'erin' }).review('carol', 'pending', { comment: 'checking' }).approve('carol');
  const rejected = gh.run({ actor: 'mallory' }).reject('bob', { comment: 'Not you' });
  const waiting = gh.run({ actor: 'alice', environment: 'iam-admin' });
  const bare = gh.run({ actor: 'alice', environment: null, event: 'push' }).rerun({ by: 'bob' });
  world.runs = [run, rejected, waiting, bare].map((handle) => ({ id: handle.id, attempts: handle.attempt }));
  world.waitingRun = waiting.id;

  // Pull requests merged each way, from a fork, a merge queue of two, one open draft, one closed unmerged.
  const files = ['mfa-resets/2026-11-24-alice.yml', ...Array.from({ length: 40 }, (_, i) => `docs/page-${i}.md`)];
  const merged = gh.pullRequest({ author: 'alice', files, body: 'Lost phone' });
  merged.review('dave', 'COMMENTED').review(null, 'APPROVED').review('bob', 'CHANGES_REQUESTED').push();
  merged.review('bob', 'DISMISSED').review('carol', 'PENDING').approve('bob').approve('github-actions[bot]');
  const squashed = gh
    .pullRequest({
      author: 'mallory',
      fork: 'mallory',
      files: [
        { filename: 'mfa-resets/new.yml', status: 'renamed', previousFilename: 'mfa-resets/old.yml', additions: 0, deletions: 0 },
        { filename: 'README.md', status: 'modified' },
        { filename: 'old.txt', status: 'removed' },
      ],
    })
    .approve('erin');
  const rebased = gh.pullRequest({
    author: 'bob',
    commits: [gh.commit({ branch: 'reset-request-3' }), gh.commit({ branch: 'reset-request-3' })],
    files: ['a.yml'],
  });
  const queued = [gh.pullRequest({ author: 'carol', files: ['b.yml'] }), gh.pullRequest({ author: 'dave', files: ['c.yml'] })];
  const draft = gh.pullRequest({ author: 'frank', draft: true, base: 'release' });
  const closed = gh.pullRequest({ author: 'trish' }).close();
  const mergeSha = merged.merge({ by: 'erin' });
  const squashSha = squashed.merge({ kind: 'squash', by: 'erin' });
  const rebaseSha = rebased.merge({ kind: 'rebase', by: 'carol' });
  const queueSha = gh.mergeQueue(queued, { by: 'erin' });
  gh.associate(queueSha, [queued[1]!.number, queued[0]!.number]);
  const push = gh.run({ actor: 'erin', event: 'push', sha: mergeSha });
  world.runs.push({ id: push.id, attempts: 1 });
  world.pulls = [merged, squashed, rebased, ...queued, draft, closed].map((pull) => pull.number);
  world.commits = [mergeSha, squashSha, rebaseSha, queueSha, merged.headSha, draft.headSha, gh.commit(), mergeSha.slice(0, 7)];
  const deployments = (await get(gh.issueToken({ deployments: 'read' }), '/repos/octo/app/deployments?per_page=100')).body as { id: number }[];
  world.deployments = deployments.map((deployment) => deployment.id);
});

afterAll(async () => {
  await standin.close();
});

describe("every answer fits GitHub's OpenAPI description", () => {
  it('names the description it checks against: api.github.com, not GHES', () => {
    expect(openapi.source).toEqual({ package: '@octokit/openapi', version: '23.0.2', file: 'generated/api.github.com.json', openapi: '3.0.3' });
  });

  it('the runs, their attempts and jobs, the review log and pending deployments', async () => {
    const token = standin.github.issueToken({ actions: 'read' });
    const answers: Answer[] = [];
    for (const { id, attempts } of world.runs) {
      answers.push(await get(token, `/repos/octo/app/actions/runs/${id}`), await get(token, `/repos/octo/app/actions/runs/${id}/approvals`));
      answers.push(await get(token, `/repos/octo/app/actions/runs/${id}/pending_deployments`));
      for (let attempt = 1; attempt <= attempts; attempt++) {
        answers.push(await get(token, `/repos/octo/app/actions/runs/${id}/attempts/${attempt}`));
        answers.push(...(await everyPage(token, `/repos/octo/app/actions/runs/${id}/attempts/${attempt}/jobs`)));
      }
    }
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(answers.map(check).flatMap(unexplained)).toEqual([]);
    const approvals = (await get(token, `/repos/octo/app/actions/runs/${world.runs[0]!.id}/approvals`)).body as unknown[];
    expect(approvals).toHaveLength(3);
    expect((await get(token, `/repos/octo/app/actions/runs/${world.waitingRun}/pending_deployments`)).body).toHaveLength(1);
  });

  it('deployments and their statuses, every page', async () => {
    standin.github.pageSize = 2;
    try {
      const token = standin.github.issueToken({ deployments: 'read' });
      const answers = [
        ...(await everyPage(token, '/repos/octo/app/deployments')),
        ...(await everyPage(token, `/repos/octo/app/deployments?environment=iam-admin&task=deploy`)),
      ];
      for (const id of world.deployments) answers.push(...(await everyPage(token, `/repos/octo/app/deployments/${id}/statuses`)));
      expect(answers.length).toBeGreaterThan(world.deployments.length + 2);
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
      const results = answers.map(check);
      expect(results.flatMap(unexplained)).toEqual([]);
      // The known gap still shows (a waiting status); once the description lists `waiting`, drop it from KNOWN_GAPS.
      expect(results.some((result) => result.errors.some((error) => KNOWN_GAPS[0]!.error.test(error)))).toBe(true);
    } finally {
      standin.github.pageSize = undefined;
    }
  });

  it("commits' pull requests, pull requests, reviews and files, every page", async () => {
    const token = standin.github.issueToken({ 'pull-requests': 'read' });
    const answers: Answer[] = [];
    for (const sha of world.commits) answers.push(...(await everyPage(token, `/repos/octo/app/commits/${sha}/pulls?per_page=1`)));
    for (const number of world.pulls) {
      answers.push(await get(token, `/repos/octo/app/pulls/${number}`));
      answers.push(...(await everyPage(token, `/repos/octo/app/pulls/${number}/reviews?per_page=3`)));
      answers.push(...(await everyPage(token, `/repos/octo/app/pulls/${number}/files`)));
    }
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(answers.map(check).flatMap(unexplained)).toEqual([]);
    // The 41 files came in two pages, the second through GitHub's /repositories/{id} link.
    expect(answers.filter((answer) => answer.url.includes('/repositories/') && answer.url.includes('/files')).length).toBeGreaterThan(0);
  });

  it('collaborator permissions: every role, no role, a bot, a renamed and a reclaimed login; public and private', async () => {
    const token = standin.github.issueToken({});
    const answers: Answer[] = [];
    for (const visibility of ['private', 'public'] as const) {
      standin.github.configure({ visibility });
      for (const login of world.logins) answers.push(await get(token, `/repos/octo/app/collaborators/${encodeURIComponent(login)}/permission`));
    }
    standin.github.configure({ visibility: 'private' });
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(answers.map(check).flatMap(unexplained)).toEqual([]);
  });

  it('refusals: 401, 403 for each permission, 404, 422, and rate limits', async () => {
    const none = standin.github.issueToken({});
    const all = standin.github.issueToken({ actions: 'read', deployments: 'read', 'pull-requests': 'read' });
    const [run] = world.runs;
    const paths = [
      `/repos/octo/app/actions/runs/${run!.id}`,
      `/repos/octo/app/actions/runs/${run!.id}/attempts/1`,
      `/repos/octo/app/actions/runs/${run!.id}/attempts/1/jobs`,
      `/repos/octo/app/actions/runs/${run!.id}/approvals`,
      `/repos/octo/app/actions/runs/${run!.id}/pending_deployments`,
      '/repos/octo/app/deployments',
      `/repos/octo/app/deployments/${world.deployments[0]}/statuses`,
      `/repos/octo/app/commits/${world.commits[0]}/pulls`,
      `/repos/octo/app/pulls/${world.pulls[0]}`,
      `/repos/octo/app/pulls/${world.pulls[0]}/reviews`,
      `/repos/octo/app/pulls/${world.pulls[0]}/files`,
    ];
    const refusals: Answer[] = [];
    for (const path of paths)
      refusals.push(
        await get(none, path),
        await get(undefined, path),
        await get('ghs_forged', path),
        await get(all, path.replace('/octo/app/', '/octo/other/')),
      );
    refusals.push(
      await get(all, '/repos/octo/app/actions/runs/1'),
      await get(all, `/repos/octo/app/actions/runs/${run!.id}/attempts/9`),
      await get(all, `/repos/octo/app/actions/runs/${run!.id}/attempts/9/jobs`),
      await get(all, '/repos/octo/app/deployments/1/statuses'),
      await get(all, '/repos/octo/app/pulls/999'),
      await get(all, '/repos/octo/app/pulls/999/reviews'),
      await get(all, '/repos/octo/app/pulls/999/files'),
      await get(all, '/repos/octo/app/collaborators/nobody-here/permission'),
      await get(all, '/repos/octo/app/commits/0123456789abcdef0123456789abcdef01234567/pulls'),
      await get(all, '/repos/octo/app/commits/not-a-sha/pulls'),
    );
    for (const [kind, status] of [
      ['primary-rate-limit', 403],
      ['primary-rate-limit', 429],
      ['secondary-rate-limit', 403],
      ['secondary-rate-limit', 429],
      ['server-error', 502],
    ] as const) {
      for (const path of paths) {
        standin.github.faults.inject({ endpoint: '*', kind, status });
        refusals.push(await get(all, path));
      }
    }
    expect(new Set(refusals.map((answer) => answer.status))).toEqual(new Set([401, 403, 404, 422, 429, 502]));
    const results = refusals.map(check);
    expect(results.flatMap(unexplained)).toEqual([]);
    // The description declares hardly any of these for these operations: most fall back to basic-error.
    expect(results.filter((result) => result.schema === 'operation').map((result) => `${result.operationId} ${result.status}`)).toEqual(
      expect.arrayContaining(['repos/get-collaborator-permission-level 404']),
    );
  });

  it('covered every endpoint the stand-in serves, with an answer and a refusal each', () => {
    const served = new Set(ENDPOINTS.map((endpoint) => endpoint.operationId));
    const succeeded = new Set(checks.filter((result) => result.status < 300).map((result) => result.operationId));
    const refused = new Set(checks.filter((result) => result.status >= 400).map((result) => result.operationId));
    expect([...served].filter((id) => !succeeded.has(id))).toEqual([]);
    expect([...served].filter((id) => !refused.has(id))).toEqual([]);
    expect(checks.length).toBeGreaterThan(200);
  });
});

describe('the checker fails what does not fit', () => {
  const headers = { 'content-type': 'application/json; charset=utf-8' };
  const review = async (): Promise<Record<string, unknown>> => {
    const token = standin.github.issueToken({ 'pull-requests': 'read' });
    return ((await get(token, `/repos/octo/app/pulls/${world.pulls[0]}/reviews`)).body as Record<string, unknown>[])[0]!;
  };
  const errorsFor = (body: unknown, status = 200, path = '/repos/octo/app/pulls/1/reviews') =>
    openapi.check({ method: 'GET', path, status, headers, body }).errors;

  it.each([
    {
      name: 'a missing required property',
      change: (r: Record<string, unknown>) => delete r['author_association'],
      error: "/0 must have required property 'author_association'",
    },
    {
      name: 'an undeclared property',
      change: (r: Record<string, unknown>) => (r['approved'] = true),
      error: '/0 must NOT have additional properties: approved',
    },
    { name: 'a wrong type', change: (r: Record<string, unknown>) => (r['id'] = String(r['id'])), error: '/0/id must be integer' },
    {
      name: 'a value outside an enum',
      change: (r: Record<string, unknown>) => (r['author_association'] = 'MAINTAINER'),
      error: '/0/author_association must be equal to one of the allowed values',
    },
    {
      name: 'a user without an id',
      change: (r: Record<string, unknown>) => delete (r['user'] as Record<string, unknown>)['id'],
      error: "/0/user must have required property 'id'",
    },
    {
      name: 'a malformed time',
      change: (r: Record<string, unknown>) => (r['submitted_at'] = 'yesterday'),
      error: '/0/submitted_at must match format "date-time"',
    },
  ])('$name', async ({ change, error }) => {
    const body = await review();
    expect(errorsFor([body])).toEqual([]);
    change(body);
    expect(errorsFor([body]).join('\n')).toContain(error);
  });

  it('an undeclared success status, a non-JSON content type, an error without a message, an unknown path', () => {
    expect(errorsFor([], 201)).toEqual([expect.stringContaining('status 201 is not declared for pulls/list-reviews')]);
    expect(
      openapi.check({ method: 'GET', path: '/repos/o/r/pulls/1/reviews', status: 200, headers: { 'content-type': 'text/html' }, body: [] }).errors,
    ).toEqual(['content-type text/html, not application/json']);
    expect(errorsFor({ documentation_url: 'https://docs.github.com/rest' }, 403)).toEqual(['an error body without message']);
    expect(errorsFor([], 200, '/repos/o/r/pulls/1/approvals')[0]).toContain('is no operation of the description');
  });
});
