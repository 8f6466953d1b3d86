// The approval gate: before any AWS call, reads what GitHub says about this run and decides whether
// require-approval is satisfied. Returns the record either way, so a refused run still reports who
// approved what. With require-approval: none it makes no GitHub call.
import { ActionError } from '../errors.ts';
import type { ApprovalRecord } from '../record.ts';
import type { RunFacts } from '../runner/context.ts';
import type { ApprovalMode, ApprovalSettings } from '../settings.ts';
import { decideEnvironment, decidePullRequest, mergedPullRequestOf } from './decide.ts';
import type { GitHubApi, GitHubConnector } from './github.ts';

export interface GateDeps {
  connect: GitHubConnector;
  /** Bounds every GitHub call: the run's deadline. */
  signal: AbortSignal;
}

/** The approval record; `refusal` says what is missing when the run is not approved. */
export type ApprovalCheck = ApprovalRecord & { refusal: string | undefined };

export async function checkApproval(settings: ApprovalSettings, run: RunFacts, deps: GateDeps): Promise<ApprovalCheck> {
  const record: ApprovalCheck = { mode: settings.mode, runApprovals: [], pullRequest: undefined, approvers: [], requester: run.actor, refusal: undefined };
  if (settings.mode === 'none') return record;
  if (!run.repository) throw new ActionError(`require-approval: ${settings.mode} needs GITHUB_REPOSITORY, which the runner sets; it is not set.`);
  const github = await deps.connect({ token: settings.githubToken, repository: run.repository, baseUrl: run.apiUrl, signal: deps.signal });
  return settings.mode === 'environment' ? environmentApproval(github, run, record) : pullRequestApproval(github, run, record);
}

/** Throws an ActionError naming what is missing unless the check approved the run. */
export function requireApproved(check: ApprovalCheck): void {
  if (check.refusal !== undefined) throw refusal(check.mode, check.refusal);
}

async function environmentApproval(github: GitHubApi, run: RunFacts, record: ApprovalCheck): Promise<ApprovalCheck> {
  if (!run.runId) throw new ActionError('require-approval: environment needs GITHUB_RUN_ID, which the runner sets; it is not set.');
  const runApprovals = await github.runApprovals(run.runId);
  const decision = decideEnvironment(runApprovals, run);
  return decision.approved ? { ...record, runApprovals, approvers: decision.approvers } : { ...record, runApprovals, refusal: decision.missing };
}

async function pullRequestApproval(github: GitHubApi, run: RunFacts, record: ApprovalCheck): Promise<ApprovalCheck> {
  if (!run.sha) throw new ActionError('require-approval: pull-request needs GITHUB_SHA, which the runner sets; it is not set.');
  const pull = mergedPullRequestOf(await github.commitPullRequests(run.sha), run.sha);
  if (!pull) {
    const missing = `a merged pull request for commit ${run.sha.slice(0, 7)}: it was pushed without one. Protect the default branch so that changes arrive only through reviewed pull requests.`;
    return { ...record, refusal: missing };
  }
  const decision = decidePullRequest(pull, await github.reviews(pull.number), run);
  const found = { ...record, pullRequest: pull, requester: pull.author };
  return decision.approved ? { ...found, approvers: decision.approvers } : { ...found, refusal: decision.missing };
}

function refusal(mode: ApprovalMode, missing: string): ActionError {
  return new ActionError(`require-approval: ${mode} refused the run before any AWS call. Missing: ${missing}`);
}

/** The log line that says who approved. */
export function approvalLine(check: ApprovalRecord): string | undefined {
  const approvers = check.approvers.map((login) => `@${login}`).join(', ');
  if (check.pullRequest) return `Pull request #${check.pullRequest.number} by @${check.pullRequest.author}, approved on its final commit by ${approvers}.`;
  return check.mode === 'environment' ? `Environment approval by ${approvers}.` : undefined;
}
