// The approval gate: before any AWS call, reads what GitHub says about this run and decides whether
// require-approval is satisfied. Returns the record either way, so a refused run still reports who
// approved what. With require-approval: none it makes no GitHub call.
import { ActionError } from '../errors.ts';
import type { ApprovalRecord, Person } from '../record.ts';
import type { RunFacts } from '../runner/context.ts';
import type { ApprovalMode, ApprovalSettings } from '../settings.ts';
import { approvalsInForce, approvedAt, candidates, decideEnvironment, decidePullRequest, type Excluded, pullRequestOfPush } from './decide.ts';
import type { GitHubApi, GitHubConnection, GitHubConnector } from './github.ts';

export interface GateDeps {
  connect: GitHubConnector;
  /** Bounds every GitHub call: the run's deadline. */
  signal: AbortSignal;
  remainingMs: () => number;
  now: () => number;
}

/** The approval record; `refusal` says what is missing when the run is not approved. */
export type ApprovalCheck = ApprovalRecord & { refusal: string | undefined };

export async function checkApproval(settings: ApprovalSettings, run: RunFacts, deps: GateDeps): Promise<ApprovalCheck> {
  const record: ApprovalCheck = {
    mode: settings.mode,
    attempt: run.runAttempt,
    runApprovals: [],
    pullRequest: undefined,
    approvers: [],
    permissions: [],
    requester: { login: run.actor, id: run.actorId },
    approvedAt: undefined,
    refusal: undefined,
  };
  if (settings.mode === 'none') return record;
  if (!run.repository || !run.runId)
    throw new ActionError(`require-approval: ${settings.mode} needs GITHUB_REPOSITORY and GITHUB_RUN_ID, which the runner sets; they are not set.`);
  const connection: GitHubConnection = {
    token: settings.githubToken,
    repository: run.repository,
    baseUrl: run.apiUrl,
    signal: deps.signal,
    remainingMs: deps.remainingMs,
  };
  const github = await deps.connect(connection);
  // GitHub's own account of the run: who started it and who re-ran it, by id, and which attempt this is.
  const info = await github.run(run.runId);
  const starter = info.actor ?? { login: run.actor, id: run.actorId ?? -1, type: 'User' };
  const checked = { ...record, attempt: info.attempt, requester: { login: starter.login, id: starter.id } };
  const excluded = new Map<number, string>([[starter.id, 'started the run']]);
  if (info.triggeringActor && info.triggeringActor.id !== starter.id) excluded.set(info.triggeringActor.id, 're-ran the run');
  return settings.mode === 'environment'
    ? environmentApproval(github, run, checked, excluded)
    : pullRequestApproval(github, run, settings, checked, excluded, deps.now());
}

/** Throws an ActionError naming what is missing unless the check approved the run. */
export function requireApproved(check: ApprovalCheck): void {
  if (check.refusal !== undefined) throw refusal(check.mode, check.refusal);
}

async function environmentApproval(github: GitHubApi, run: RunFacts, record: ApprovalCheck, excluded: Excluded): Promise<ApprovalCheck> {
  const runApprovals = await github.runApprovals(run.runId);
  // The approvals log carries no attempt number and no time: an approval of attempt 1 would also pass attempt 2.
  if (record.attempt > 1) {
    const missing = `an approval of this attempt (${record.attempt}): GitHub's approvals log does not say which attempt an approval was given to, so a re-run cannot prove one. Dispatch a new run instead of re-running.`;
    return { ...record, runApprovals, refusal: missing };
  }
  const permissions = await permissionsOf(
    github,
    candidates(
      runApprovals.filter((a) => a.state === 'approved').map((a) => a.reviewer),
      excluded,
    ),
  );
  const decision = decideEnvironment(runApprovals, excluded, permissions);
  const found = { ...record, runApprovals, permissions: [...permissions.values()] };
  return decision.approved ? { ...found, approvers: decision.approvers } : { ...found, refusal: decision.missing };
}

async function pullRequestApproval(
  github: GitHubApi,
  run: RunFacts,
  settings: ApprovalSettings,
  record: ApprovalCheck,
  excluded: Map<number, string>,
  now: number,
): Promise<ApprovalCheck> {
  const branch = run.ref.startsWith('refs/heads/') ? run.ref.slice('refs/heads/'.length) : undefined;
  if (run.eventName !== 'push' || !branch || !run.sha) {
    return {
      ...record,
      refusal: `a push to a branch: require-approval: pull-request acts only on the push that merged the request, and this run is a ${run.eventName || 'unknown'} event on ${run.ref || 'no ref'}.`,
    };
  }
  const request = settings.request;
  if (!request)
    return { ...record, refusal: 'a request file: require-approval: pull-request acts only through request-file, the request the pull request added.' };
  const pull = pullRequestOfPush(await github.commitPullRequests(run.sha), run.sha, branch);
  if (typeof pull === 'string') return { ...record, refusal: pull };
  const found = { ...record, pullRequest: pull, requester: { login: pull.author?.login ?? '', id: pull.author?.id } };
  const added = (await github.pullFiles(pull.number)).some((file) => file.status === 'added' && file.filename === request.file);
  if (!added)
    return {
      ...found,
      refusal: `a pull request that added ${request.file}: pull request #${pull.number} did not add it, so its approval is not about this request.`,
    };
  if (pull.author) excluded.set(pull.author.id, 'authored the pull request');
  const { fresh, missing } = approvalsInForce(pull, await github.reviews(pull.number), now, settings.maxAgeHours * 3_600_000);
  if (missing !== undefined) return { ...found, refusal: missing };
  const permissions = await permissionsOf(
    github,
    candidates(
      fresh.map((review) => review.reviewer),
      excluded,
    ),
  );
  const decision = decidePullRequest(pull, fresh, excluded, permissions);
  const decided = { ...found, permissions: [...permissions.values()] };
  return decision.approved
    ? { ...decided, approvers: decision.approvers, approvedAt: approvedAt(decision.approvers) }
    : { ...decided, refusal: decision.missing };
}

/** Each person's permission on the repository, by account id, as the record lists it. */
async function permissionsOf(github: GitHubApi, people: readonly Person[]): Promise<Map<number, ApprovalRecord['permissions'][number]>> {
  const entries = await Promise.all(
    people.map(async (person) => [person.id, { id: person.id, login: person.login, ...(await github.permission(person)) }] as const),
  );
  return new Map(entries);
}

function refusal(mode: ApprovalMode, missing: string): ActionError {
  return new ActionError(`require-approval: ${mode} refused the run before any AWS call. Missing: ${missing}`);
}

/** The log line that says who approved. */
export function approvalLine(check: ApprovalRecord): string | undefined {
  const approvers = check.approvers.map((approver) => `@${approver.login} (${approver.role || approver.permission})`).join(', ');
  const pull = check.pullRequest;
  if (pull) return `Pull request #${pull.number} by @${pull.author?.login ?? 'unknown'}, approved on its final commit by ${approvers}.`;
  return check.mode === 'environment' ? `Environment approval by ${approvers}.` : undefined;
}
