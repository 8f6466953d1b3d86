// The endpoints the stand-in serves: for each, Octokit's name (what the request log shows), the
// OpenAPI operationId, the permission a token needs (GitHub's "Permissions required for GitHub
// Apps" tables, src/github-apps/data/fpt-2022-11-28/server-to-server-permissions.json in
// github/docs), its documentation link, and how it answers. Paths are relative to the repository:
// /repos/{owner}/{repo} or /repositories/{repository_id}, which GitHub's Link headers use.
import type { GitHubWorld, Pull, Run } from './model.ts';
import { permissionOf, type Shapes } from './shapes.ts';

export type Scope = 'actions' | 'contents' | 'deployments' | 'metadata' | 'pull-requests';

export class HttpFailure extends Error {
  readonly status: number;
  readonly docs: string;
  constructor(status: number, message: string, docs: string) {
    super(message);
    this.status = status;
    this.docs = docs;
  }
}

export interface Answer {
  body: unknown;
  headers?: Record<string, string>;
}

export interface EndpointContext {
  world: GitHubWorld;
  shapes: Shapes;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Pages a list as GitHub does: per_page (default 30, at most 100) and page, with a Link header. */
  page<T>(items: T[]): { items: T[]; headers: Record<string, string> };
}

export interface Endpoint {
  /** Octokit's name for it: the request log's `action`, and what faults name. */
  name: string;
  operationId: string;
  path: string;
  /** Any one of these sets of read permissions will do (write includes read; every token has metadata). */
  permissions: Scope[][];
  docs: string;
  answer(context: EndpointContext): Answer;
}

export const DOCS = 'https://docs.github.com/rest';

function runOf(context: EndpointContext, docs: string): Run {
  const run = context.world.runs.get(Number(context.params['run_id']));
  if (!run) throw new HttpFailure(404, 'Not Found', docs);
  return run;
}

function pullOf(context: EndpointContext, docs: string): Pull {
  const pull = context.world.pulls.get(Number(context.params['pull_number']));
  if (!pull) throw new HttpFailure(404, 'Not Found', docs);
  return pull;
}

function attemptOf(context: EndpointContext, run: Run, docs: string) {
  const attempt = run.attempts[Number(context.params['attempt_number']) - 1];
  if (!attempt) throw new HttpFailure(404, 'Not Found', docs);
  return attempt;
}

export const ENDPOINTS: Endpoint[] = [
  {
    name: 'actions.getWorkflowRun',
    operationId: 'actions/get-workflow-run',
    path: '/actions/runs/{run_id}',
    permissions: [['actions']],
    docs: `${DOCS}/actions/workflow-runs#get-a-workflow-run`,
    answer(context) {
      const run = runOf(context, this.docs);
      return { body: context.shapes.actions.run(run, run.attempts.at(-1)!) };
    },
  },
  {
    name: 'actions.getWorkflowRunAttempt',
    operationId: 'actions/get-workflow-run-attempt',
    path: '/actions/runs/{run_id}/attempts/{attempt_number}',
    permissions: [['actions']],
    docs: `${DOCS}/actions/workflow-runs#get-a-workflow-run-attempt`,
    answer(context) {
      const run = runOf(context, this.docs);
      return { body: context.shapes.actions.run(run, attemptOf(context, run, this.docs)) };
    },
  },
  {
    name: 'actions.listJobsForWorkflowRunAttempt',
    operationId: 'actions/list-jobs-for-workflow-run-attempt',
    path: '/actions/runs/{run_id}/attempts/{attempt_number}/jobs',
    permissions: [['actions']],
    docs: `${DOCS}/actions/workflow-jobs#list-jobs-for-a-workflow-run-attempt`,
    answer(context) {
      const run = runOf(context, this.docs);
      const jobs = [context.shapes.actions.job(run, attemptOf(context, run, this.docs))];
      const { items, headers } = context.page(jobs);
      return { body: { total_count: jobs.length, jobs: items }, headers };
    },
  },
  {
    name: 'actions.getReviewsForRun',
    operationId: 'actions/get-reviews-for-run',
    path: '/actions/runs/{run_id}/approvals',
    permissions: [['actions']],
    docs: `${DOCS}/actions/workflow-runs#get-the-review-history-for-a-workflow-run`,
    answer(context) {
      // Every attempt's reviews, oldest first; the log says neither which attempt nor when.
      return { body: runOf(context, this.docs).approvals.map((entry) => context.shapes.actions.approval(entry)) };
    },
  },
  {
    name: 'actions.getPendingDeploymentsForRun',
    operationId: 'actions/get-pending-deployments-for-run',
    path: '/actions/runs/{run_id}/pending_deployments',
    permissions: [['actions']],
    docs: `${DOCS}/actions/workflow-runs#get-pending-deployments-for-a-workflow-run`,
    answer(context) {
      const run = runOf(context, this.docs);
      const attempt = run.attempts.at(-1)!;
      return { body: attempt.status === 'waiting' && run.environment ? [context.shapes.actions.pendingDeployment(run, attempt)] : [] };
    },
  },
  {
    name: 'repos.listDeployments',
    operationId: 'repos/list-deployments',
    path: '/deployments',
    permissions: [['deployments']],
    docs: `${DOCS}/deployments/deployments#list-deployments`,
    answer(context) {
      const { query } = context;
      const wanted = (name: string, value: string) => !query.has(name) || query.get(name) === value;
      // Newest first, as GitHub lists them; every Actions deployment has task `deploy`.
      const found = [...context.world.deployments.values()]
        .filter((d) => wanted('sha', d.sha) && wanted('ref', d.ref) && wanted('task', 'deploy') && wanted('environment', d.environment))
        .reverse();
      const { items, headers } = context.page(found);
      return { body: items.map((d) => context.shapes.actions.deployment(d)), headers };
    },
  },
  {
    name: 'repos.listDeploymentStatuses',
    operationId: 'repos/list-deployment-statuses',
    path: '/deployments/{deployment_id}/statuses',
    permissions: [['deployments']],
    docs: `${DOCS}/deployments/statuses#list-deployment-statuses`,
    answer(context) {
      const deployment = context.world.deployments.get(Number(context.params['deployment_id']));
      if (!deployment) throw new HttpFailure(404, 'Not Found', this.docs);
      const { items, headers } = context.page([...deployment.statuses].reverse());
      return { body: items.map((status) => context.shapes.actions.deploymentStatus(deployment, status)), headers };
    },
  },
  {
    name: 'repos.listPullRequestsAssociatedWithCommit',
    operationId: 'repos/list-pull-requests-associated-with-commit',
    path: '/commits/{commit_sha}/pulls',
    permissions: [['pull-requests']],
    docs: `${DOCS}/commits/commits#list-pull-requests-associated-with-a-commit`,
    answer(context) {
      const sha = context.params['commit_sha'] ?? '';
      const commit = context.world.resolveCommit(sha);
      if (!commit) throw new HttpFailure(422, `No commit found for SHA: ${sha}`, this.docs);
      const { items, headers } = context.page(context.world.pullsOfCommit(commit));
      return { body: items.map((pull) => context.shapes.pulls.pullSimple(pull)), headers };
    },
  },
  {
    name: 'pulls.get',
    operationId: 'pulls/get',
    path: '/pulls/{pull_number}',
    // Listed under both "Pull requests" and "Contents" (read), each marked as one of several that will do.
    permissions: [['pull-requests'], ['contents']],
    docs: `${DOCS}/pulls/pulls#get-a-pull-request`,
    answer(context) {
      return { body: context.shapes.pulls.pull(pullOf(context, this.docs)) };
    },
  },
  {
    name: 'pulls.listReviews',
    operationId: 'pulls/list-reviews',
    path: '/pulls/{pull_number}/reviews',
    permissions: [['pull-requests']],
    docs: `${DOCS}/pulls/reviews#list-reviews-for-a-pull-request`,
    answer(context) {
      const pull = pullOf(context, this.docs);
      // Chronological. A pending review is its author's draft: nobody else's token sees it.
      const visible = pull.reviews.filter((review) => review.state !== 'PENDING');
      const { items, headers } = context.page(visible);
      return { body: items.map((review) => context.shapes.pulls.review(pull, review)), headers };
    },
  },
  {
    name: 'pulls.listFiles',
    operationId: 'pulls/list-files',
    path: '/pulls/{pull_number}/files',
    permissions: [['pull-requests']],
    docs: `${DOCS}/pulls/pulls#list-pull-requests-files`,
    answer(context) {
      const pull = pullOf(context, this.docs);
      // "Responses include a maximum of 3000 files."
      const { items, headers } = context.page(pull.files.slice(0, 3000));
      return { body: items.map((file) => context.shapes.pulls.file(pull, file)), headers };
    },
  },
  {
    name: 'repos.getCollaboratorPermissionLevel',
    operationId: 'repos/get-collaborator-permission-level',
    path: '/collaborators/{username}/permission',
    permissions: [['metadata']],
    docs: `${DOCS}/collaborators/collaborators#get-repository-permissions-for-a-user`,
    answer(context) {
      const { world, shapes } = context;
      const account = world.findLogin(context.params['username'] ?? '');
      if (!account) throw new HttpFailure(404, 'Not Found', this.docs);
      // Someone without a role: `none` on a private repository; on a public one everybody reads.
      const role = world.roleOf(account.id) ?? (world.repository.visibility === 'public' ? 'read' : undefined);
      const roleName = role ?? 'none';
      return { body: { permission: permissionOf(role), role_name: roleName, user: shapes.accounts.collaborator(account, role, roleName) } };
    },
  },
];

/** The endpoint and path parameters for a GET path, under either repository prefix. */
export function route(
  world: GitHubWorld,
  method: string,
  path: string,
): { endpoint: Endpoint; params: Record<string, string>; repoPath: string; sameRepository: boolean } | undefined {
  if (method !== 'GET') return undefined;
  const prefix = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path) ?? /^\/repositories\/(\d+)()(\/.*)$/.exec(path);
  if (!prefix) return undefined;
  const [, first = '', second = '', rest = ''] = prefix;
  const byId = path.startsWith('/repositories/');
  const sameRepository = byId
    ? Number(first) === world.repository.id
    : first.toLowerCase() === world.owner().login.toLowerCase() && second.toLowerCase() === world.repository.name.toLowerCase();
  for (const endpoint of ENDPOINTS) {
    const names: string[] = [];
    const pattern = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(rest);
    if (!match) continue;
    const params: Record<string, string> = byId ? { repository_id: first } : { owner: first, repo: second };
    names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1] ?? '')));
    return { endpoint, params, repoPath: rest, sameRepository };
  }
  return undefined;
}
