// A scenario drives the built action: run.runner() gives runAction the variables the runner would
// set for that attempt (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_ACTOR_ID, GITHUB_SHA, …), and the
// action reads the scenario's approvals and pull requests from the stand-in's GitHub API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Standin, startStandin } from '../../standin/index.ts';
import { runAction } from '../../standin/runner.ts';
import { adminRole } from '../fixtures/standin.ts';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin();
});
afterEach(async () => {
  await standin.close();
});

describe('run.runner() and the built action', () => {
  it("a re-run's attempt: the variables name the attempt and both actors, and the action refuses to reuse an environment approval", async () => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'phone-1');
    const gh = standin.github;
    gh.collaborator('bob', 'write');
    const run = gh.run({ actor: 'octo-admin' }).approve('bob').rerun({ by: 'erin' }).approve('bob');

    const result = await runAction(
      { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment' },
      { endpoint: standin.endpoint, oidc: standin.oidc, github: { apiUrl: gh.apiUrl, token: gh.issueToken({ actions: 'read' }) }, ...run.runner() },
    );

    expect(result.errors.join('\n')).toContain('an approval of this attempt (2)');
    expect(standin.devicesOf('alice')).toHaveLength(1);
    expect(run.runner()).toMatchObject({ actor: 'octo-admin', triggeringActor: 'erin', env: { GITHUB_RUN_ID: String(run.id), GITHUB_RUN_ATTEMPT: '2' } });
    expect(standin.requests.find((entry) => entry.action === 'actions.getReviewsForRun')?.params).toMatchObject({ run_id: String(run.id) });
    expect(result.summary).toContain('<th>Run attempt</th><td>2</td>');
  });

  it('a squash-merged request: the push run is for the merge commit, and the action finds its pull request', async () => {
    const role = adminRole(standin);
    standin.createUser('alice');
    standin.addVirtualMfa('alice', 'phone-1');
    const gh = standin.github;
    const REQUEST = 'mfa-resets/2026-11-24-alice.yml';
    gh.collaborator('bob', 'write');
    const pull = gh.pullRequest({ author: 'asmith', files: [REQUEST] }).approve('bob', { at: new Date(Date.now() + 1500).toISOString() });
    const run = gh.run({ actor: 'erin', event: 'push', sha: pull.merge({ kind: 'squash', by: 'erin' }), environment: null });

    const result = await runAction(
      { 'request-file': REQUEST, 'role-to-assume': role, 'require-approval': 'pull-request' },
      {
        endpoint: standin.endpoint,
        oidc: standin.oidc,
        github: { apiUrl: gh.apiUrl, token: gh.issueToken({ actions: 'read', 'pull-requests': 'read' }) },
        workspaceFiles: { [REQUEST]: 'user-name: alice\nreason: lost her phone\nticket: OPS-42\n' },
        ...run.runner(),
      },
    );

    expect(result.errors).toEqual([]);
    expect(result.outputs['pull-request']).toBe(String(pull.number));
    expect(standin.requests.find((entry) => entry.action === 'repos.listPullRequestsAssociatedWithCommit')?.params).toMatchObject({
      commit_sha: pull.mergeCommitSha,
    });
  });
});
