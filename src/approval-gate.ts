// The approval gate: before any AWS call, proves the approval require-approval asks for, or stops
// the run naming what is missing. Fills the audit record as it goes, so a refused run still reports
// who approved what. With require-approval: none it makes no GitHub call.
import {
  type ApprovalMode,
  decideEnvironment,
  decidePullRequest,
  mergedPullRequestOf,
  type PullRequest,
  type Requesters,
  type RunApproval,
} from './approvals.ts';
import type { ApprovalSettings } from './approval-settings.ts';
import type { AuditRecord } from './audit.ts';
import { ActionError } from './errors.ts';
import { context } from './github-context.ts';
import type { GitHubApi, GitHubConnector, Repository } from './github.ts';
import type { Settings } from './inputs.ts';

/** What the runner says about this run. */
export interface RunFacts extends Requesters {
  repository: Repository | undefined;
  runId: number;
  /** GITHUB_SHA: the commit the workflow runs on. */
  sha: string;
  apiUrl: string;
}

export interface ApprovalRecord {
  mode: ApprovalMode;
  /** The run's environment review log (environment mode). */
  runApprovals: RunApproval[];
  /** The pull request the commit came from (pull-request mode). */
  pullRequest: PullRequest | undefined;
  /** Who approved, as counted: not the requester, not the author. */
  approvers: string[];
  /** Who asked for the reset: the pull request's author on the request flow, otherwise the actor. */
  requester: string;
}

export interface GateDeps {
  connect: GitHubConnector;
  /** Bounds every GitHub call: the run's deadline. */
  signal: AbortSignal;
}

export function newApprovalRecord(mode: ApprovalMode, actor: string): ApprovalRecord {
  return { mode, runApprovals: [], pullRequest: undefined, approvers: [], requester: actor };
}

/** Throws an ActionError naming what is missing unless the run is approved as settings.mode demands. */
export async function requireApproval(settings: ApprovalSettings, run: RunFacts, deps: GateDeps, record: ApprovalRecord): Promise<void> {
  if (settings.mode === 'none') return;
  if (!run.repository) throw new ActionError(`require-approval: ${settings.mode} needs GITHUB_REPOSITORY, which the runner sets; it is not set.`);
  const github = await deps.connect({ token: settings.githubToken, repository: run.repository, baseUrl: run.apiUrl, signal: deps.signal });
  if (settings.mode === 'environment') await environmentApproval(github, run, record);
  else await pullRequestApproval(github, run, record);
}

async function environmentApproval(github: GitHubApi, run: RunFacts, record: ApprovalRecord): Promise<void> {
  if (!run.runId) throw new ActionError('require-approval: environment needs GITHUB_RUN_ID, which the runner sets; it is not set.');
  record.runApprovals = await github.runApprovals(run.runId);
  const decision = decideEnvironment(record.runApprovals, run);
  if (!decision.approved) throw refusal('environment', decision.missing);
  record.approvers = decision.approvers;
}

async function pullRequestApproval(github: GitHubApi, run: RunFacts, record: ApprovalRecord): Promise<void> {
  if (!run.sha) throw new ActionError('require-approval: pull-request needs GITHUB_SHA, which the runner sets; it is not set.');
  const pull = mergedPullRequestOf(await github.commitPullRequests(run.sha), run.sha);
  if (!pull) {
    throw refusal(
      'pull-request',
      `a merged pull request for commit ${run.sha.slice(0, 7)}: it was pushed without one. Protect the default branch so that changes arrive only through reviewed pull requests.`,
    );
  }
  record.pullRequest = pull;
  record.requester = pull.author;
  const decision = decidePullRequest(pull, await github.reviews(pull.number), run);
  if (!decision.approved) throw refusal('pull-request', decision.missing);
  record.approvers = decision.approvers;
}

function refusal(mode: ApprovalMode, missing: string): ActionError {
  return new ActionError(`require-approval: ${mode} refused the run before any AWS call. Missing: ${missing}`);
}

/** The run as the runner describes it in its environment variables. */
/** The run, as the runner describes it. */
function runFacts(): RunFacts {
  const [owner, repo] = (context.repository ?? '').split('/');
  return {
    actor: context.actor ?? '',
    triggeringActor: context.triggeringActor ?? '',
    repository: owner && repo ? { owner, repo } : undefined,
    runId: context.runId || 0,
    sha: context.sha ?? '',
    apiUrl: context.apiUrl,
  };
}

/**
 * The run's first step after reading the inputs: record the request and the session name, then
 * prove the approval. Throws before any AWS call when it cannot be proven.
 */
export async function approveRun(settings: Settings, audit: AuditRecord, deps: GateDeps & { log: (message: string) => void }): Promise<void> {
  const { approval } = settings;
  audit.request = approval.request;
  if (settings.role) audit.sessionName = { name: settings.role.sessionName, from: approval.roleSessionNameFrom };
  const run = runFacts();
  audit.approval = newApprovalRecord(approval.mode, run.actor);
  await requireApproval(approval, run, deps, audit.approval);
  const { approvers, pullRequest } = audit.approval;
  if (pullRequest)
    deps.log(`Pull request #${pullRequest.number} by @${pullRequest.author}, approved on its final commit by ${approvers.map((a) => `@${a}`).join(', ')}.`);
  else if (approval.mode === 'environment') deps.log(`Environment approval by ${approvers.map((a) => `@${a}`).join(', ')}.`);
}
