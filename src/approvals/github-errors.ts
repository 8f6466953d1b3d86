// What a failed GitHub call means, in one line that says what to change. Pure.
import { CALLS, type GitHubCall } from './calls.ts';

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
export function describeGitHubError(error: unknown, call: GitHubCall, refusedWaitSeconds?: number): string {
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
  if (refusedWaitSeconds !== undefined && (status === 403 || status === 429)) {
    return (
      `GitHub's API rate limit stopped reading ${what} (${status} ${message}): GitHub asked to wait ${refusedWaitSeconds} s, ` +
      'longer than the run has left (timeout-seconds) or after the retries the action allows; nothing was changed. Run the workflow again later.'
    );
  }
  if (status === 429 || (status === 403 && (e.response?.headers?.['x-ratelimit-remaining'] === '0' || e.response?.headers?.['retry-after'] !== undefined))) {
    return `GitHub's API rate limit is used up (${status} ${message}); nothing was changed. Run the workflow again later.`;
  }
  if (status === 404) {
    return (
      `GitHub answered 404 ${message} for ${what}: the run, commit or pull request is not in this repository, ` +
      `or the token cannot see the repository (add \`${permission}\` to the job's \`permissions:\`).`
    );
  }
  return `Could not read ${what} from GitHub (${status === undefined ? '' : `${status} `}${message}); nothing was changed.`;
}
