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
const CALL_TIMEOUT_MS = 15_000;
/** Pages of 100 read at most per list: more means something is wrong, and is refused, not read forever. */
const MAX_PAGES = 10;
/** Rate-limit waits and server-error retries per call. */
const MAX_RETRIES = 2;

interface RawUser {
  login: string;
  id: number;
  type: string;
}
const person = (user: RawUser | null | undefined): Person | undefined => (user ? { login: user.login, id: user.id, type: user.type } : undefined);

type Octokit = ReturnType<(typeof import('@actions/github'))['getOctokit']>;

/** A wait GitHub asked for (retry-after, or x-ratelimit-reset), and whether the run had that long. */
interface RateLimitWait {
  call: string;
  seconds: number;
  waited: boolean;
}

export const octokitConnector: GitHubConnector = async (connection) => {
  const [{ getOctokit }, { throttling }, { retry }] = await Promise.all([
    import('@actions/github'),
    import('@octokit/plugin-throttling'),
    import('@octokit/plugin-retry'),
  ]);
  const waits: RateLimitWait[] = [];
  // Wait only if the run has that long.
  const onLimit = (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const waited = retryCount < MAX_RETRIES && retryAfter * 1000 < connection.remainingMs();
    waits.push({ call: `${options.method} ${options.url}`, seconds: retryAfter, waited });
    return waited;
  };
  const octokit = getOctokit(
    connection.token,
    { baseUrl: connection.baseUrl, throttle: { onRateLimit: onLimit, onSecondaryRateLimit: onLimit }, retry: { retries: MAX_RETRIES } },
    throttling,
    retry,
  );
  return new OctokitApi(octokit, connection, waits);
};

class OctokitApi implements GitHubApi {
  readonly #octokit: Octokit;
  readonly #connection: GitHubConnection;
  readonly #waits: readonly RateLimitWait[];

  constructor(octokit: Octokit, connection: GitHubConnection, waits: readonly RateLimitWait[]) {
    this.#octokit = octokit;
    this.#connection = connection;
    this.#waits = waits;
  }

  run(runId: number): Promise<RunInfo> {
    return this.#guarded('run', async () => {
      const { data } = await this.#octokit.rest.actions.getWorkflowRun({ ...this.#repository, run_id: runId, request: this.#request() });
      return { attempt: data.run_attempt ?? 1, actor: person(data.actor), triggeringActor: person(data.triggering_actor) };
    });
  }

  runApprovals(runId: number): Promise<RunApproval[]> {
    return this.#guarded('run-approvals', async () => {
      const { data } = await this.#octokit.rest.actions.getReviewsForRun({ ...this.#repository, run_id: runId, request: this.#request() });
      return data.map((entry) => ({
        reviewer: person(entry.user),
        state: entry.state,
        environments: entry.environments.map((environment) => environment.name ?? ''),
        comment: entry.comment,
      }));
    });
  }

  commitPullRequests(sha: string): Promise<PullRequest[]> {
    return this.#guarded('commit-pulls', async () => {
      const list = this.#octokit.rest.repos.listPullRequestsAssociatedWithCommit;
      const pulls = await this.#pages(`Commit ${sha.slice(0, 7)}`, this.#octokit.paginate.iterator(list, { ...this.#listParams(), commit_sha: sha }));
      return pulls.map((pull) => ({
        number: pull.number,
        author: person(pull.user),
        url: pull.html_url,
        baseRef: pull.base.ref,
        mergedAt: pull.merged_at ?? undefined,
        mergeCommitSha: pull.merge_commit_sha ?? undefined,
        headSha: pull.head.sha,
      }));
    });
  }

  pullFiles(pullNumber: number): Promise<PullFile[]> {
    return this.#guarded('pull-files', async () => {
      const iterator = this.#octokit.paginate.iterator(this.#octokit.rest.pulls.listFiles, { ...this.#listParams(), pull_number: pullNumber });
      return (await this.#pages(`Pull request #${pullNumber}`, iterator)).map(({ filename, status }) => ({ filename, status }));
    });
  }

  reviews(pullNumber: number): Promise<PullRequestReview[]> {
    return this.#guarded('reviews', async () => {
      const iterator = this.#octokit.paginate.iterator(this.#octokit.rest.pulls.listReviews, { ...this.#listParams(), pull_number: pullNumber });
      return (await this.#pages(`Pull request #${pullNumber}`, iterator)).map((review) => ({
        reviewer: person(review.user),
        state: review.state,
        commitId: review.commit_id ?? undefined,
        submittedAt: review.submitted_at ?? undefined,
      }));
    });
  }

  permission(who: Person): Promise<{ permission: Permission; role: string }> {
    return this.#guarded('permission', async () => {
      try {
        const request = { ...this.#repository, username: who.login, request: this.#request() };
        const { data } = await this.#octokit.rest.repos.getCollaboratorPermissionLevel(request);
        // The login may belong to another account by now (renamed, then reclaimed): only the same id counts.
        if (data.user?.id !== who.id) return { permission: 'none', role: 'another account holds this login now' };
        return { permission: asPermission(data.permission), role: data.role_name };
      } catch (error) {
        // GitHub answers 404 for an account that is not a collaborator.
        if ((error as { status?: unknown }).status === 404) return { permission: 'none', role: 'not a collaborator' };
        throw error;
      }
    });
  }

  get #repository(): Repository {
    return this.#connection.repository;
  }

  /** The parameters of a list call: pages of 100, each bounded like any call. */
  #listParams(): Repository & { per_page: number; request: { signal: AbortSignal } } {
    return { ...this.#repository, per_page: 100, request: this.#request() };
  }

  /** Each call ends at the run's deadline or after CALL_TIMEOUT_MS, whichever comes first. */
  #request(): { signal: AbortSignal } {
    return { signal: AbortSignal.any([this.#connection.signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]) };
  }

  /** The call's result, or an ActionError that says what to change (and names a wait GitHub asked for that the run did not have). */
  async #guarded<T>(call: GitHubCall, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ActionError) throw error;
      const refusedWait = this.#waits.findLast((wait) => !wait.waited);
      throw new ActionError(describeGitHubError(error, call, refusedWait?.seconds), { cause: error });
    }
  }

  /** Every page's items, refusing more than MAX_PAGES pages. */
  async #pages<T>(what: string, iterator: AsyncIterable<{ data: T[] }>): Promise<T[]> {
    const items: T[] = [];
    let count = 0;
    for await (const { data } of iterator) {
      if (++count > MAX_PAGES) throw new ActionError(`${what} has more than ${MAX_PAGES * 100} entries; the action does not read that many.`);
      items.push(...data);
    }
    return items;
  }
}

function asPermission(value: string): Permission {
  return value === 'admin' || value === 'write' || value === 'read' ? value : 'none';
}
