// Workflow runs in the scenario: a run and its attempts (a re-run is a new attempt, started by
// whoever clicked re-run, keeping the first actor and the commit), the environment review log,
// and the deployment GitHub Actions makes for each attempt of a job that names an environment,
// with the statuses it goes through (waiting for reviewers, queued once approved, in progress).
import type { Account, Attempt, GitHubWorld, Run } from './model.ts';
import { WEB } from './shapes.ts';

export interface RunSpec {
  /** GITHUB_RUN_ID (default: a fresh id). */
  id?: number;
  /** Who started the run: GITHUB_ACTOR / GITHUB_ACTOR_ID, the run's `actor`. */
  actor: string;
  /** Who started attempt 1 (default the actor): GITHUB_TRIGGERING_ACTOR, the attempt's `triggering_actor`. */
  triggeringActor?: string;
  /** GITHUB_EVENT_NAME (default workflow_dispatch). */
  event?: string;
  /** GITHUB_SHA (default: a new commit on the branch). */
  sha?: string;
  /** The branch the run is for (default the repository's default branch). */
  branch?: string;
  /** The job's `environment:` (default iam-admin); null: the job names none, so nothing waits for reviewers. */
  environment?: string | null;
  /** Whether the environment's protection rules make the job wait for a reviewer (default true). */
  waitsForReview?: boolean;
  workflow?: string;
  /** When the run started (default: a minute after the scenario's last event). */
  at?: string;
}

export interface ReviewOptions {
  comment?: string;
  /** The environments the review covers (default the run's environment). */
  environments?: string[];
  at?: string;
}

/** Options for runAction (standin/runner.ts): what the runner would set for this attempt. */
export interface RunnerView {
  actor: string;
  triggeringActor: string;
  sha: string;
  eventName: string;
  env: Record<string, string>;
}

export class RunHandle {
  private readonly world: GitHubWorld;
  readonly run: Run;
  private readonly waits: boolean;

  constructor(world: GitHubWorld, spec: RunSpec) {
    this.world = world;
    const id = spec.id ?? world.newId(1_000_000_000, 9_999_999_999);
    if (world.runs.has(id)) throw new Error(`Run ${id} exists already`);
    const actor = world.ensure(spec.actor);
    const sha = spec.sha ?? world.newSha('run');
    const branch = spec.branch ?? world.repository.defaultBranch;
    world.commit(sha).branches.add(branch);
    const workflow = spec.workflow ?? 'Reset IAM MFA';
    this.run = {
      id,
      number: world.runs.size + 41,
      workflowId: 161335,
      workflowName: workflow,
      path: '.github/workflows/reset-mfa.yml',
      event: spec.event ?? 'workflow_dispatch',
      sha,
      branch,
      actorId: actor.id,
      actorLogin: actor.login,
      environment: spec.environment === null ? undefined : (spec.environment ?? 'iam-admin'),
      createdAt: world.stamp(spec.at),
      attempts: [],
      approvals: [],
    };
    this.waits = spec.waitsForReview ?? true;
    world.runs.set(id, this.run);
    this.startAttempt(world.ensure(spec.triggeringActor ?? spec.actor), this.run.createdAt, this.waits);
  }

  get id(): number {
    return this.run.id;
  }
  get sha(): string {
    return this.run.sha;
  }
  /** The latest attempt's number: GITHUB_RUN_ATTEMPT. */
  get attempt(): number {
    return this.run.attempts.length;
  }
  get latest(): Attempt {
    return this.run.attempts.at(-1)!;
  }

  /** Approve the latest attempt's wait for the environment: the job proceeds. */
  approve(login: string, options: ReviewOptions = {}): this {
    return this.review(login, 'approved', options);
  }

  /** Reject it: the job fails. */
  reject(login: string, options: ReviewOptions = {}): this {
    return this.review(login, 'rejected', options);
  }

  /** A review log entry by `login`; `pending` is a comment that neither approves nor rejects. */
  review(login: string, state: 'approved' | 'rejected' | 'pending', options: ReviewOptions = {}): this {
    const account = this.world.ensure(login);
    const attempt = this.latest;
    const at = this.world.stamp(options.at);
    this.run.approvals.push({
      accountId: account.id,
      state,
      environments: options.environments ?? (this.run.environment ? [this.run.environment] : []),
      comment: options.comment ?? '',
      attempt: attempt.number,
      at,
    });
    if (state === 'approved' && attempt.status === 'waiting') this.proceed(attempt, at);
    if (state === 'rejected' && attempt.status === 'waiting') {
      attempt.status = 'completed';
      attempt.conclusion = 'failure';
      this.addStatus(attempt, 'failure', at);
    }
    return this;
  }

  /**
   * Re-run the workflow: a new attempt started by `by`, same commit, same first actor. Its job waits
   * for reviewers again unless `waitsForReview: false` (protection rules removed or bypassed since).
   */
  rerun(options: { by: string; at?: string; waitsForReview?: boolean }): this {
    const latest = this.latest;
    if (latest.status !== 'completed') {
      latest.status = 'completed';
      latest.conclusion = 'failure';
    }
    this.startAttempt(this.world.ensure(options.by), this.world.stamp(options.at), options.waitsForReview ?? this.waits);
    return this;
  }

  /**
   * What the runner sets for the latest attempt: GITHUB_* (logins as they were when the run and the
   * attempt started). The runner has no variable for the triggering actor's id: the attempt's
   * `triggering_actor.id` in the API is the only place it is.
   */
  runner(): RunnerView {
    const { run, world } = this;
    const attempt = this.latest;
    const owner = world.owner();
    const actor = world.requireId(run.actorId);
    return {
      actor: run.actorLogin,
      triggeringActor: attempt.triggeringLogin,
      sha: run.sha,
      eventName: run.event,
      env: {
        GITHUB_RUN_ID: String(run.id),
        GITHUB_RUN_NUMBER: String(run.number),
        GITHUB_RUN_ATTEMPT: String(attempt.number),
        GITHUB_ACTOR: run.actorLogin,
        GITHUB_ACTOR_ID: String(actor.id),
        GITHUB_TRIGGERING_ACTOR: attempt.triggeringLogin,
        GITHUB_SHA: run.sha,
        GITHUB_REF: `refs/heads/${run.branch}`,
        GITHUB_REF_NAME: run.branch,
        GITHUB_REF_TYPE: 'branch',
        GITHUB_EVENT_NAME: run.event,
        GITHUB_REPOSITORY: `${owner.login}/${world.repository.name}`,
        GITHUB_REPOSITORY_ID: String(world.repository.id),
        GITHUB_REPOSITORY_OWNER: owner.login,
        GITHUB_REPOSITORY_OWNER_ID: String(owner.id),
        GITHUB_WORKFLOW: run.workflowName,
        GITHUB_JOB: attempt.jobName,
      },
    };
  }

  private startAttempt(by: Account, at: string, waits: boolean): void {
    const { run, world } = this;
    const attempt: Attempt = {
      number: run.attempts.length + 1,
      triggeringActorId: by.id,
      triggeringLogin: by.login,
      startedAt: at,
      jobId: world.newId(10_000_000_000, 99_999_999_999),
      jobName: 'reset',
      status: 'in_progress',
      conclusion: null,
    };
    run.attempts.push(attempt);
    if (!run.environment) return;
    world.ensure('github-actions[bot]');
    const deployment = {
      id: world.newId(1_000_000_000, 4_000_000_000),
      sha: run.sha,
      ref: run.branch,
      environment: run.environment,
      createdAt: at,
      runId: run.id,
      attempt: attempt.number,
      jobId: attempt.jobId,
      statuses: [],
    };
    world.deployments.set(deployment.id, deployment);
    attempt.deploymentId = deployment.id;
    if (waits) {
      attempt.status = 'waiting';
      this.addStatus(attempt, 'waiting', at);
    } else {
      this.proceed(attempt, at);
    }
  }

  private proceed(attempt: Attempt, at: string): void {
    const waited = attempt.status === 'waiting';
    attempt.status = 'in_progress';
    if (waited) this.addStatus(attempt, 'queued', at);
    this.addStatus(attempt, 'in_progress', at);
  }

  private addStatus(attempt: Attempt, state: 'waiting' | 'queued' | 'in_progress' | 'failure', at: string): void {
    const deployment = attempt.deploymentId === undefined ? undefined : this.world.deployments.get(attempt.deploymentId);
    if (!deployment) return;
    const logUrl = `${WEB}/${this.world.owner().login}/${this.world.repository.name}/actions/runs/${this.run.id}/job/${attempt.jobId}`;
    deployment.statuses.push({ id: this.world.newId(1_000_000_000, 9_999_999_999), state, at, logUrl });
  }
}
