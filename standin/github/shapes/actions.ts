// Workflow runs, their jobs and review log, and the deployments Actions makes, in GitHub's JSON
// shapes: `workflow-run`, `job`, `environment-approvals`, `pending-deployment`, `deployment`,
// `deployment-status`.
import type { ApprovalEntry, Attempt, Deployment, DeploymentStatus, Run } from '../model.ts';
import { type AccountShapes, hexOf, type Json, newNodeId, nodeId, WEB } from './common.ts';

export class ActionsShapes {
  private readonly base: AccountShapes;

  constructor(base: AccountShapes) {
    this.base = base;
  }

  environmentRef(name: string): Json {
    const environment = this.base.world.environment(name);
    return {
      id: environment.id,
      node_id: nodeId('Environment', environment.id),
      name,
      url: `${this.base.repoApi}/environments/${encodeURIComponent(name)}`,
      html_url: `${WEB}/${this.base.fullName()}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
      created_at: environment.createdAt,
      updated_at: environment.createdAt,
    };
  }

  approval(entry: ApprovalEntry): Json {
    return {
      environments: entry.environments.map((name) => this.environmentRef(name)),
      state: entry.state,
      comment: entry.comment,
      user: this.base.user(this.base.world.requireId(entry.accountId)),
    };
  }

  run(run: Run, attempt: Attempt): Json {
    const api = `${this.base.repoApi}/actions/runs/${run.id}`;
    const html = `${WEB}/${this.base.fullName()}/actions/runs/${run.id}`;
    const actor = this.base.world.requireId(run.actorId);
    const committer = { name: actor.login, email: `${actor.id}+${actor.login}@users.noreply.github.com` };
    return {
      id: run.id,
      name: run.workflowName,
      node_id: `WFR_kwLO${Buffer.from(String(run.id)).toString('base64url')}`,
      head_branch: run.branch,
      head_sha: run.sha,
      path: run.path,
      display_title: run.event === 'push' ? `Merge request for ${run.branch}` : run.workflowName,
      run_number: run.number,
      run_attempt: attempt.number,
      event: run.event,
      status: attempt.status,
      conclusion: attempt.conclusion,
      workflow_id: run.workflowId,
      check_suite_id: run.id + attempt.number,
      check_suite_node_id: newNodeId('CS', run.id + attempt.number),
      url: api,
      html_url: html,
      pull_requests: [],
      created_at: run.createdAt,
      updated_at: attempt.startedAt,
      actor: this.base.user(actor),
      triggering_actor: this.base.user(this.base.world.requireId(attempt.triggeringActorId)),
      run_started_at: attempt.startedAt,
      jobs_url: `${api}/jobs`,
      logs_url: `${api}/logs`,
      check_suite_url: `${this.base.repoApi}/check-suites/${run.id + attempt.number}`,
      artifacts_url: `${api}/artifacts`,
      cancel_url: `${api}/cancel`,
      rerun_url: `${api}/rerun`,
      previous_attempt_url: attempt.number > 1 ? `${api}/attempts/${attempt.number - 1}` : null,
      workflow_url: `${this.base.repoApi}/actions/workflows/${run.workflowId}`,
      head_commit: {
        id: run.sha,
        tree_id: hexOf(`tree:${run.sha}`),
        message: `Reset MFA (run ${run.number})`,
        timestamp: run.createdAt,
        author: committer,
        committer,
      },
      repository: this.base.repository(),
      head_repository: this.base.repository(),
    };
  }

  job(run: Run, attempt: Attempt): Json {
    const html = `${WEB}/${this.base.fullName()}/actions/runs/${run.id}/job/${attempt.jobId}`;
    return {
      id: attempt.jobId,
      run_id: run.id,
      run_url: `${this.base.repoApi}/actions/runs/${run.id}`,
      run_attempt: attempt.number,
      node_id: newNodeId('CR', attempt.jobId),
      head_sha: run.sha,
      url: `${this.base.repoApi}/actions/jobs/${attempt.jobId}`,
      html_url: html,
      status: attempt.status,
      conclusion: attempt.conclusion,
      created_at: attempt.startedAt,
      started_at: attempt.startedAt,
      completed_at: null,
      name: attempt.jobName,
      steps: [],
      check_run_url: `${this.base.repoApi}/check-runs/${attempt.jobId}`,
      labels: ['ubuntu-latest'],
      runner_id: attempt.status === 'waiting' ? null : 1000 + attempt.number,
      runner_name: attempt.status === 'waiting' ? null : `GitHub Actions ${1000 + attempt.number}`,
      runner_group_id: attempt.status === 'waiting' ? null : 2,
      runner_group_name: attempt.status === 'waiting' ? null : 'GitHub Actions',
      workflow_name: run.workflowName,
      head_branch: run.branch,
    };
  }

  /** GitHub Actions as the app behind the deployments it makes (`performed_via_github_app`). */
  actionsApp(): Json {
    return {
      id: 15368,
      slug: 'github-actions',
      node_id: 'MDM6QXBwMTUzNjg=',
      owner: this.base.user({ id: 9919, login: 'github', type: 'Organization' }),
      name: 'GitHub Actions',
      description: 'Automate your workflow from idea to production',
      external_url: 'https://help.github.com/en/actions',
      html_url: `${WEB}/apps/github-actions`,
      created_at: '2018-07-30T09:30:17Z',
      updated_at: '2024-04-10T20:33:16Z',
      permissions: { actions: 'write', checks: 'write', contents: 'write', deployments: 'write', metadata: 'read', statuses: 'write' },
      events: ['check_run', 'check_suite', 'deployment', 'push', 'pull_request', 'workflow_dispatch'],
    };
  }

  deployment(deployment: Deployment): Json {
    const url = `${this.base.repoApi}/deployments/${deployment.id}`;
    return {
      url,
      id: deployment.id,
      node_id: newNodeId('DE', deployment.id),
      sha: deployment.sha,
      ref: deployment.ref,
      task: 'deploy',
      payload: {},
      original_environment: deployment.environment,
      environment: deployment.environment,
      description: null,
      creator: this.base.user(this.base.world.requireLogin('github-actions[bot]')),
      created_at: deployment.createdAt,
      updated_at: deployment.statuses.at(-1)?.at ?? deployment.createdAt,
      statuses_url: `${url}/statuses`,
      repository_url: this.base.repoApi,
      transient_environment: false,
      production_environment: false,
      performed_via_github_app: this.actionsApp(),
    };
  }

  deploymentStatus(deployment: Deployment, status: DeploymentStatus): Json {
    const url = `${this.base.repoApi}/deployments/${deployment.id}`;
    return {
      url: `${url}/statuses/${status.id}`,
      id: status.id,
      node_id: newNodeId('DES', status.id),
      state: status.state,
      creator: this.base.user(this.base.world.requireLogin('github-actions[bot]')),
      description: '',
      environment: deployment.environment,
      target_url: status.logUrl,
      log_url: status.logUrl,
      created_at: status.at,
      updated_at: status.at,
      deployment_url: url,
      repository_url: this.base.repoApi,
      performed_via_github_app: this.actionsApp(),
    };
  }

  pendingDeployment(run: Run, attempt: Attempt): Json {
    const environment = run.environment ?? 'production';
    const { created_at: _c, updated_at: _u, ...ref } = this.environmentRef(environment);
    return {
      environment: ref,
      wait_timer: 0,
      wait_timer_started_at: attempt.startedAt,
      current_user_can_approve: false,
      reviewers: [...this.base.world.collaborators.entries()]
        .filter(([, role]) => role === 'admin' || role === 'maintain')
        .map(([id]) => ({ type: 'User', reviewer: this.base.user(this.base.world.requireId(id)) })),
    };
  }
}
