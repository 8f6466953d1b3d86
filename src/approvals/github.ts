// The GitHub REST calls the approval check makes, behind a small interface so the check can be
// tested with a fake. Octokit (from @actions/github) is imported only when a client is made: a run
// with require-approval: none never loads it. Every call is made against GITHUB_API_URL, carries a
// timeout, and fails with a message that says what to change.
import { ActionError } from '../errors.ts';
import type { PullRequest, PullRequestReview, RunApproval } from '../record.ts';
import type { Repository } from '../runner/context.ts';

export interface GitHubApi {
  /** The run's environment review log. Needs `actions: read`. */
  runApprovals(runId: number): Promise<RunApproval[]>;
  /** Pull requests the commit belongs to. Needs `contents: read`. */
  commitPullRequests(sha: string): Promise<PullRequest[]>;
  /** Every review of the pull request, oldest first. Needs `pull-requests: read`. */
  reviews(pullNumber: number): Promise<PullRequestReview[]>;
}

export interface GitHubConnection {
  token: string;
  repository: Repository;
  /** GITHUB_API_URL: the runner's API (github.com, GHE.com or a GitHub Enterprise Server). */
  baseUrl: string;
  /** Aborts every call: the run's own deadline. */
  signal: AbortSignal;
}

export type GitHubConnector = (connection: GitHubConnection) => Promise<GitHubApi>;

/** Longest a single call (all its pages) may take. */
export const CALL_TIMEOUT_MS = 15_000;
/** Reviews are read 100 a page; a pull request with more than this many pages is refused, not read forever. */
export const MAX_REVIEW_PAGES = 10;

/** What each call reads, and the `permissions:` line the job's token needs for it. */
export const CALLS = {
  'run-approvals': { what: "this run's environment approvals", permission: 'actions: read' },
  'commit-pulls': { what: "the commit's pull requests", permission: 'contents: read' },
  reviews: { what: "the pull request's reviews", permission: 'pull-requests: read' },
} as const;

export type GitHubCall = keyof typeof CALLS;

export const octokitConnector: GitHubConnector = async ({ token, repository, baseUrl, signal }) => {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(token, { baseUrl });
  const request = (): { signal: AbortSignal } => ({ signal: AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]) });
  return {
    runApprovals: (runId) =>
      guarded('run-approvals', async () => {
        const { data } = await octokit.rest.actions.getReviewsForRun({ ...repository, run_id: runId, request: request() });
        return data.map((entry) => ({
          reviewer: entry.user.login,
          state: entry.state,
          environments: entry.environments.map((environment) => environment.name ?? ''),
          comment: entry.comment,
        }));
      }),
    commitPullRequests: (sha) =>
      guarded('commit-pulls', async () => {
        const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repository, commit_sha: sha, per_page: 100, request: request() });
        return data.map((pull) => ({
          number: pull.number,
          author: pull.user?.login ?? '',
          url: pull.html_url,
          mergedAt: pull.merged_at ?? undefined,
          mergeCommitSha: pull.merge_commit_sha ?? undefined,
          headSha: pull.head.sha,
        }));
      }),
    reviews: (pullNumber) =>
      guarded('reviews', async () => {
        const reviews: PullRequestReview[] = [];
        let pages = 0;
        const params = { ...repository, pull_number: pullNumber, per_page: 100, request: request() };
        for await (const { data } of octokit.paginate.iterator(octokit.rest.pulls.listReviews, params)) {
          if (++pages > MAX_REVIEW_PAGES) {
            throw new ActionError(`Pull request #${pullNumber} has more than ${MAX_REVIEW_PAGES * 100} reviews; the action does not read that many.`);
          }
          for (const review of data) reviews.push({ reviewer: review.user?.login ?? '', state: review.state, commitId: review.commit_id ?? undefined });
        }
        return reviews;
      }),
  };
};

async function guarded<T>(call: GitHubCall, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ActionError) throw error;
    throw new ActionError(describeGitHubError(error, call), { cause: error });
  }
}

interface RequestErrorShape {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  cause?: unknown;
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
}

/** GitHub's own message (the body's `message`), without Octokit's documentation-link suffix. */
function githubMessage(error: RequestErrorShape): string {
  const data = error.response?.data;
  if (typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string') return data.message;
  return typeof error.message === 'string' ? error.message : String(error);
}

function isTimeout(error: RequestErrorShape): boolean {
  const names = [error.name, (error.cause as RequestErrorShape | undefined)?.name];
  return names.some((name) => name === 'TimeoutError' || name === 'AbortError');
}

/** One line that says what went wrong with a GitHub call and what to change. Pure. */
export function describeGitHubError(error: unknown, call: GitHubCall): string {
  const e = (error ?? {}) as RequestErrorShape;
  const { what, permission } = CALLS[call];
  const status = typeof e.status === 'number' ? e.status : undefined;
  const message = githubMessage(e);
  if (isTimeout(e)) return `GitHub did not answer in time while reading ${what}; nothing was changed. Run the workflow again.`;
  if (status === 401) {
    return `GitHub refused github-token while reading ${what} (401 ${message}): pass a valid token, by default \${{ github.token }}.`;
  }
  if (status === 403 && /not accessible by integration|not accessible by personal access token/i.test(message)) {
    return `The job's token may not read ${what} (403 ${message}): add \`${permission}\` to the job's \`permissions:\`.`;
  }
  if (status === 403 && e.response?.headers?.['x-ratelimit-remaining'] === '0') {
    return `GitHub's API rate limit is used up (403 ${message}); nothing was changed. Run the workflow again later.`;
  }
  if (status === 404) {
    return (
      `GitHub answered 404 ${message} for ${what}: the run, commit or pull request is not in this repository, ` +
      `or the token cannot see the repository (add \`${permission}\` to the job's \`permissions:\`).`
    );
  }
  return `Could not read ${what} from GitHub (${status === undefined ? '' : `${status} `}${message}); nothing was changed.`;
}
