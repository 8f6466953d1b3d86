// GitHub's rate limits and server errors on the approval check, through the built action: a wait
// GitHub asks for is waited out when the run's deadline allows (Octokit's throttling and retry
// plugins), and named when it does not.
import { describe } from 'vitest';
import type { Standin } from '../../standin/index.ts';
import { runAction, type RunOptions } from '../../standin/runner.ts';
import { adminRole, it } from '../fixtures/standin.ts';

/** alice with a phone, bob (write) approving octo-admin's run in the environment. */
function approvedRun(standin: Standin): { inputs: Record<string, string>; options: RunOptions } {
  const role = adminRole(standin);
  standin.createUser('alice');
  standin.addVirtualMfa('alice', 'phone-1');
  const gh = standin.github;
  gh.collaborator('bob', 'write');
  const run = gh.run({ actor: 'octo-admin' }).approve('bob');
  return {
    inputs: { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment', 'timeout-seconds': '20' },
    options: { endpoint: standin.endpoint, oidc: standin.oidc, github: { apiUrl: gh.apiUrl, token: gh.issueToken({ actions: 'read' }) }, ...run.runner() },
  };
}
const calls = (standin: Standin, action: string) => standin.requests.filter((entry) => entry.action === action).map((entry) => entry.status);

describe.concurrent("GitHub's rate limits and errors", () => {
  it.for([
    { name: 'a secondary rate limit (403, retry-after: 1)', fault: { kind: 'secondary-rate-limit', retryAfter: 1 } as const, statuses: [403, 200] },
    { name: 'a 429 (retry-after: 1)', fault: { kind: 'secondary-rate-limit', status: 429, retryAfter: 1 } as const, statuses: [429, 200] },
    { name: 'a 502 once', fault: { kind: 'server-error', status: 502 } as const, statuses: [502, 200] },
  ])('$name is waited out, and the run resets', async ({ fault, statuses }, { standin, expect }) => {
    const { inputs, options } = approvedRun(standin);
    standin.github.faults.inject({ endpoint: 'actions.getReviewsForRun', ...fault });

    const run = await runAction(inputs, options);

    expect(run.errors).toEqual([]);
    expect(calls(standin, 'actions.getReviewsForRun')).toEqual(statuses);
    expect(standin.devicesOf('alice')).toEqual([]);
  });

  it('a wait longer than the run has left is not waited: the error names it, and nothing changes', async ({ standin, expect }) => {
    const { inputs, options } = approvedRun(standin);
    standin.github.faults.inject({ endpoint: 'actions.getReviewsForRun', kind: 'secondary-rate-limit', status: 429, retryAfter: 900, times: 'always' });

    const started = Date.now();
    const run = await runAction(inputs, options);

    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.errors.join('\n')).toContain('GitHub asked to wait 900 s, longer than the run has left (timeout-seconds)');
    expect(standin.requests.filter((entry) => entry.service !== 'github')).toEqual([]);
    expect(standin.devicesOf('alice')).toHaveLength(1);
  });

  it('a primary rate limit that stays: named as the rate limit, nothing changes', async ({ standin, expect }) => {
    const { inputs, options } = approvedRun(standin);
    standin.github.faults.inject({ endpoint: 'actions.getReviewsForRun', kind: 'primary-rate-limit', times: 'always' });

    const run = await runAction(inputs, options);

    expect(run.errors.join('\n')).toMatch(/GitHub's API rate limit (stopped reading|is used up)/);
    expect(standin.devicesOf('alice')).toHaveLength(1);
  });
});
