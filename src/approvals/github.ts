// The GitHub REST calls the approval check makes, behind a small interface so the check can be
// tested with a fake. Octokit (from @actions/github) is imported only when a client is made: a run
// with require-approval: none never loads it. Every call goes to GITHUB_API_URL, is bounded by the
// run's deadline, waits out GitHub's rate limits (Octokit's throttling and retry plugins) only as
// long as the deadline allows, and fails with a message that says what to change.
import { ActionError } from '../errors.ts';
import type { Permission, Person, PullRequest, PullRequestReview, RunApproval } from '../record.ts';
import type { Repository } from '../runner/context.ts';
import type { GitHubCall } from './calls.ts';
import { describeGitHubError } from './github-errors.ts';

/** What GitHub says of this workflow run (GET /repos/{o}/{r}/actions/runs/{id}). */
export interface RunInfo {
  attempt: number;
  actor: Person | undefined;
  triggeringActor: Person | undefined;
  event: string;
}

/** One file a pull request changed (GET /repos/{o}/{r}/pulls/{n}/files). */
export interface PullFile {
  filename: string;
  /** added, modified, removed, renamed, copied, changed, unchanged. */
  status: string;
}

export interface GitHubApi {
  run(runId: number): Promise<RunInfo>;
  /** The run's environment review log. */
  runApprovals(runId: number): Promise<RunApproval[]>;
  /** Pull requests the commit belongs to, every page. */
  commitPullRequests(sha: string): Promise<PullRequest[]>;
  pullFiles(pullNumber: number): Promise<PullFile[]>;
  /** Every review of the pull request, oldest first. */
  reviews(pullNumber: number): Promise<PullRequestReview[]>;
  /** The account's permission on the repository; `none` when it is not a collaborator or is another account now. */
  permission(person: Person): Promise<{ permission: Permission; role: string }>;
}

export interface GitHubConnection {
  token: string;
  repository: Repository;
  /** GITHUB_API_URL: the runner's API (github.com, GHE.com or a GitHub Enterprise Server). */
  baseUrl: string;
  /** Aborts every call: the run's own deadline. */
  signal: AbortSignal;
  /** Milliseconds left before the run's deadline: a rate-limit wait longer than this is not waited. */
  remainingMs: () => number;
}

export type GitHubConnector = (connection: GitHubConnection) => Promise<GitHubApi>;

/** Longest a single call (all its pages) may take. */
export const CALL_TIMEOUT_MS = 15_000;
/** Pages of 100 read at most per list: more means something is wrong, and is refused, not read forever. */
export const MAX_PAGES = 10;
/** Rate-limit waits and server-error retries per call. */
const MAX_RETRIES = 2;

interface RawUser {
  login: string;
  id: number;
  type: string;
}
const person = (user: RawUser | null | undefined): Person | undefined => (user ? { login: user.login, id: user.id, type: user.type } : undefined);

export const octokitConnector: GitHubConnector = async ({ token, repository, baseUrl, signal, remainingMs }) => {
  const [{ getOctokit }, { throttling }, { retry }] = await Promise.all([
    import('@actions/github'),
    import('@octokit/plugin-throttling'),
    import('@octokit/plugin-retry'),
  ]);
  const waits: { call: string; seconds: number; waited: boolean }[] = [];
  // GitHub says how long to wait (retry-after, or x-ratelimit-reset): wait only if the run has that long.
  const onLimit = (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const waited = retryCount < MAX_RETRIES && retryAfter * 1000 < remainingMs();
    waits.push({ call: `${options.method} ${options.url}`, seconds: retryAfter, waited });
    return waited;
  };
  const octokit = getOctokit(
    token,
    { baseUrl, throttle: { onRateLimit: onLimit, onSecondaryRateLimit: onLimit }, retry: { retries: MAX_RETRIES } },
    throttling,
    retry,
  );
  const request = (): { signal: AbortSignal } => ({ signal: AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]) });
  const guarded = async <T>(call: GitHubCall, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ActionError) throw error;
      const refusedWait = waits.findLast((wait) => !wait.waited);
      throw new ActionError(describeGitHubError(error, call, refusedWait?.seconds), { cause: error });
    }
  };
  const pages = async <T>(call: GitHubCall, what: string, iterator: AsyncIterable<{ data: T[] }>): Promise<T[]> => {
    const items: T[] = [];
    let count = 0;
    for await (const { data } of iterator) {
      if (++count > MAX_PAGES) throw new ActionError(`${what} has more than ${MAX_PAGES * 100} entries; the action does not read that many.`);
      items.push(...data);
    }
    return items;
  };
  const params = { ...repository, per_page: 100 };
  return {
    run: (runId) =>
      guarded('run', async () => {
        const { data } = await octokit.rest.actions.getWorkflowRun({ ...repository, run_id: runId, request: request() });
        return { attempt: data.run_attempt ?? 1, actor: person(data.actor), triggeringActor: person(data.triggering_actor), event: data.event };
      }),
    runApprovals: (runId) =>
      guarded('run-approvals', async () => {
        const { data } = await octokit.rest.actions.getReviewsForRun({ ...repository, run_id: runId, request: request() });
        return data.map((entry) => ({
          reviewer: person(entry.user),
          state: entry.state,
          environments: entry.environments.map((environment) => environment.name ?? ''),
          comment: entry.comment,
        }));
      }),
    commitPullRequests: (sha) =>
      guarded('commit-pulls', async () => {
        const iterator = octokit.paginate.iterator(octokit.rest.repos.listPullRequestsAssociatedWithCommit, { ...params, commit_sha: sha, request: request() });
        return (await pages('commit-pulls', `Commit ${sha.slice(0, 7)}`, iterator)).map((pull) => ({
          number: pull.number,
          author: person(pull.user),
          url: pull.html_url,
          baseRef: pull.base.ref,
          mergedAt: pull.merged_at ?? undefined,
          mergeCommitSha: pull.merge_commit_sha ?? undefined,
          headSha: pull.head.sha,
        }));
      }),
    pullFiles: (pullNumber) =>
      guarded('pull-files', async () => {
        const iterator = octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...params, pull_number: pullNumber, request: request() });
        return (await pages('pull-files', `Pull request #${pullNumber}`, iterator)).map(({ filename, status }) => ({ filename, status }));
      }),
    reviews: (pullNumber) =>
      guarded('reviews', async () => {
        const iterator = octokit.paginate.iterator(octokit.rest.pulls.listReviews, { ...params, pull_number: pullNumber, request: request() });
        return (await pages('reviews', `Pull request #${pullNumber}`, iterator)).map((review) => ({
          reviewer: person(review.user),
          state: review.state,
          commitId: review.commit_id ?? undefined,
          submittedAt: review.submitted_at ?? undefined,
        }));
      }),
    permission: (who) =>
      guarded('permission', async () => {
        try {
          const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repository, username: who.login, request: request() });
          // The login may belong to another account by now (renamed, then reclaimed): only the same id counts.
          if (data.user?.id !== who.id) return { permission: 'none', role: 'another account holds this login now' };
          return { permission: asPermission(data.permission), role: data.role_name };
        } catch (error) {
          // GitHub answers 404 for an account that is not a collaborator.
          if ((error as { status?: unknown }).status === 404) return { permission: 'none', role: 'not a collaborator' };
          throw error;
        }
      }),
  };
};

function asPermission(value: string): Permission {
  return value === 'admin' || value === 'write' || value === 'read' ? value : 'none';
}
