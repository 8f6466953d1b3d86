// What the runner tells every step about its run, read once from the GITHUB_* variables it sets
// (the same values @actions/github's `context` reads, without loading Octokit and undici at start-up).
import type { RunContext } from '../record.ts';

/** The action's own version, compiled into the bundle; a unit test keeps it equal to package.json's. */
export const VERSION = '1.0.0';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Repository {
  owner: string;
  repo: string;
}

export interface RunFacts {
  actor: string;
  /** GITHUB_ACTOR_ID: the actor's immutable account id. */
  actorId: number | undefined;
  /** Who clicked re-run (the re-run keeps the first actor's privileges); the actor otherwise. */
  triggeringActor: string;
  repository: Repository | undefined;
  /** 0 outside Actions. */
  runId: number;
  runAttempt: number;
  /** GITHUB_SHA: the commit the workflow runs on. */
  sha: string;
  /** GITHUB_REF: refs/heads/<branch> on a push. */
  ref: string;
  eventName: string;
  workflow: string;
  serverUrl: string;
  apiUrl: string;
  workspace: string;
  /**
   * Which action ran: the compiled-in version, plus the repository and ref the workflow's `uses:`
   * resolved (a ref pinned to a commit sha names the code exactly, a tag what it pointed to then).
   */
  version: string;
}

function positive(value: string | undefined, fallback: number): number {
  const number = Number.parseInt(value ?? '', 10);
  return number > 0 ? number : fallback;
}

export function runFacts(env: Env = process.env): RunFacts {
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  const actionRepository = env['GITHUB_ACTION_REPOSITORY'];
  const actionRef = env['GITHUB_ACTION_REF'];
  return {
    actor: env['GITHUB_ACTOR'] ?? '',
    actorId: positive(env['GITHUB_ACTOR_ID'], 0) || undefined,
    triggeringActor: env['GITHUB_TRIGGERING_ACTOR'] ?? '',
    repository: owner && repo ? { owner, repo } : undefined,
    runId: positive(env['GITHUB_RUN_ID'], 0),
    runAttempt: positive(env['GITHUB_RUN_ATTEMPT'], 1),
    sha: env['GITHUB_SHA'] ?? '',
    ref: env['GITHUB_REF'] ?? '',
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    workflow: env['GITHUB_WORKFLOW'] ?? '',
    serverUrl: env['GITHUB_SERVER_URL'] || 'https://github.com',
    apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
    workspace: env['GITHUB_WORKSPACE'] || process.cwd(),
    version: actionRepository && actionRef ? `${VERSION} (${actionRepository}@${actionRef})` : VERSION,
  };
}

/** The run as the summary names it: who started it, who re-ran it, and a link to this attempt. */
export function runContext(run: RunFacts): RunContext {
  const { repository, runId, runAttempt } = run;
  return {
    actor: run.actor,
    triggeringActor: run.triggeringActor,
    runUrl: repository && runId ? `${run.serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${runId}/attempts/${runAttempt}` : undefined,
    workflow: run.workflow,
    eventName: run.eventName,
  };
}
