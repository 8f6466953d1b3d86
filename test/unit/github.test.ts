// What a failed GitHub call tells the user: the permissions line for a 403, the token for a 401.
import { describe, expect, it } from 'vitest';
import type { GitHubCall } from '../../src/approvals/calls.ts';
import { describeGitHubError } from '../../src/approvals/github-errors.ts';

// Shaped as Octokit's RequestError (name HttpError, status, response with GitHub's JSON body).
function httpError(status: number, message: string, headers: Record<string, string> = {}): Error {
  const data = { message, documentation_url: 'https://docs.github.com/rest', status: String(status) };
  return Object.assign(new Error(`${message} - https://docs.github.com/rest`), {
    name: 'HttpError',
    status,
    response: { status, url: 'https://api.github.com/x', headers, data },
  });
}
const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });

describe('describeGitHubError', () => {
  it.each<{ name: string; error: unknown; call: GitHubCall; expected: string }>([
    {
      name: 'no actions: read',
      error: httpError(403, 'Resource not accessible by integration'),
      call: 'run-approvals',
      expected: "add `actions: read` to the job's `permissions:`",
    },
    { name: 'no pull-requests: read', error: httpError(403, 'Resource not accessible by integration'), call: 'reviews', expected: 'add `pull-requests: read`' },
    {
      name: "the commit's pull requests need pull-requests: read, not contents",
      error: httpError(403, 'Resource not accessible by integration'),
      call: 'commit-pulls',
      expected: 'add `pull-requests: read`',
    },
    {
      name: 'the run itself needs actions: read',
      error: httpError(403, 'Resource not accessible by integration'),
      call: 'run',
      expected: 'add `actions: read`',
    },
    {
      name: "a pull request's files",
      error: httpError(403, 'Resource not accessible by integration'),
      call: 'pull-files',
      expected: 'add `pull-requests: read`',
    },
    {
      name: 'a bad token',
      error: httpError(401, 'Bad credentials'),
      call: 'run-approvals',
      expected: "GitHub refused github-token while reading this run's environment approvals (401 Bad credentials)",
    },
    {
      name: 'an unknown run',
      error: httpError(404, 'Not Found'),
      call: 'run-approvals',
      expected: "GitHub answered 404 Not Found for this run's environment approvals",
    },
    {
      name: 'the rate limit',
      error: httpError(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0' }),
      call: 'reviews',
      expected: 'rate limit is used up',
    },
    {
      name: 'a timeout',
      error: Object.assign(new Error('aborted'), { name: 'HttpError', status: 500, cause: timeout }),
      call: 'reviews',
      expected: 'GitHub did not answer in time',
    },
    {
      name: 'a server error',
      error: httpError(502, 'Server Error'),
      call: 'commit-pulls',
      expected: "Could not read the commit's pull requests from GitHub (502 Server Error)",
    },
    {
      name: 'a secondary rate limit (403 with retry-after)',
      error: httpError(403, 'You have exceeded a secondary rate limit', { 'retry-after': '60' }),
      call: 'reviews',
      expected: "GitHub's API rate limit is used up (403",
    },
    { name: 'a 429', error: httpError(429, 'Too Many Requests', { 'retry-after': '5' }), call: 'reviews', expected: "GitHub's API rate limit is used up (429" },
  ])('$name', ({ error, call, expected }) => {
    expect(describeGitHubError(error, call)).toContain(expected);
  });

  it('a wait GitHub asked for that the run could not afford is named, with its length', () => {
    const error = httpError(429, 'Too Many Requests', { 'retry-after': '900' });
    expect(describeGitHubError(error, 'reviews', 900)).toContain('GitHub asked to wait 900 s, longer than the run has left (timeout-seconds)');
  });
});
