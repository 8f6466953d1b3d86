// GitHub's JSON shapes, built from the world: every property the OpenAPI description marks required
// (api.github.com, @octokit/openapi), with values that look like GitHub's. `api` is where the
// stand-in's API lives (what GITHUB_API_URL names); browser links point at https://github.com.
import { createHash } from 'node:crypto';
import type { Account, ApprovalEntry, Attempt, Deployment, DeploymentStatus, GitHubWorld, Pull, PullFile, Review, Role, Run } from './model.ts';

export const WEB = 'https://github.com';
type Json = Record<string, unknown>;

const nodeId = (kind: string, id: number): string => Buffer.from(`0${kind.length}:${kind}${id}`).toString('base64');
/** A stable 40-hex name for something (a blob, a tree, a base tip). */
const hexOf = (text: string): string => createHash('sha1').update(text).digest('hex');

/** `permission` folds maintain into write and triage into read, as GitHub's docs say. */
export function permissionOf(role: Role | undefined): 'admin' | 'write' | 'read' | 'none' {
  if (role === 'admin') return 'admin';
  if (role === 'maintain' || role === 'write') return 'write';
  if (role === 'triage' || role === 'read') return 'read';
  return 'none';
}

export class Shapes {
  readonly world: GitHubWorld;
  readonly api: string;

  constructor(world: GitHubWorld, api: string) {
    this.world = world;
    this.api = api;
  }

  get repoApi(): string {
    return `${this.api}/repos/${this.fullName()}`;
  }

  fullName(): string {
    return `${this.world.owner().login}/${this.world.repository.name}`;
  }

  user(account: Account): Json {
    const path = encodeURIComponent(account.login);
    const api = `${this.api}/users/${path}`;
    return {
      login: account.login,
      id: account.id,
      node_id: nodeId(account.type === 'Organization' ? 'Organization' : account.type, account.id),
      avatar_url: `https://avatars.githubusercontent.com/${account.type === 'Bot' ? 'in' : 'u'}/${account.id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: account.type === 'Bot' ? `${WEB}/apps/${account.login.replace(/\[bot\]$/, '')}` : `${WEB}/${account.login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: account.type,
      user_view_type: 'public',
      site_admin: false,
    };
  }

  userById(id: number | null): Json | null {
    return id === null ? null : this.user(this.world.requireId(id));
  }

  /** The `user` of GET collaborators/{username}/permission: a user plus its role and permission flags. */
  collaborator(account: Account, role: Role | undefined, roleName: string): Json {
    const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role ?? 'none');
    return {
      ...this.user(account),
      permissions: { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: rank >= 0 },
      role_name: roleName,
    };
  }

  /** The full `repository` object (pull requests' base.repo and head.repo). */
  repository(options: { owner?: Account; id?: number; name?: string; fork?: boolean } = {}): Json {
    const world = this.world;
    const owner = options.owner ?? world.owner();
    const name = options.name ?? world.repository.name;
    const full = `${owner.login}/${name}`;
    const api = `${this.api}/repos/${full}`;
    const id = options.id ?? world.repository.id;
    const created = '2025-03-14T08:00:00Z';
    return {
      id,
      node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
      name,
      full_name: full,
      private: world.repository.visibility !== 'public',
      owner: this.user(owner),
      html_url: `${WEB}/${full}`,
      description: 'Infrastructure and its MFA reset requests',
      fork: options.fork ?? false,
      url: api,
      archive_url: `${api}/{archive_format}{/ref}`,
      assignees_url: `${api}/assignees{/user}`,
      blobs_url: `${api}/git/blobs{/sha}`,
      branches_url: `${api}/branches{/branch}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      comments_url: `${api}/comments{/number}`,
      commits_url: `${api}/commits{/sha}`,
      compare_url: `${api}/compare/{base}...{head}`,
      contents_url: `${api}/contents/{+path}`,
      contributors_url: `${api}/contributors`,
      deployments_url: `${api}/deployments`,
      downloads_url: `${api}/downloads`,
      events_url: `${api}/events`,
      forks_url: `${api}/forks`,
      git_commits_url: `${api}/git/commits{/sha}`,
      git_refs_url: `${api}/git/refs{/sha}`,
      git_tags_url: `${api}/git/tags{/sha}`,
      git_url: `git://github.com/${full}.git`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      issue_events_url: `${api}/issues/events{/number}`,
      issues_url: `${api}/issues{/number}`,
      keys_url: `${api}/keys{/key_id}`,
      labels_url: `${api}/labels{/name}`,
      languages_url: `${api}/languages`,
      merges_url: `${api}/merges`,
      milestones_url: `${api}/milestones{/number}`,
      notifications_url: `${api}/notifications{?since,all,participating}`,
      pulls_url: `${api}/pulls{/number}`,
      releases_url: `${api}/releases{/id}`,
      ssh_url: `git@github.com:${full}.git`,
      stargazers_url: `${api}/stargazers`,
      statuses_url: `${api}/statuses/{sha}`,
      subscribers_url: `${api}/subscribers`,
      subscription_url: `${api}/subscription`,
      tags_url: `${api}/tags`,
      teams_url: `${api}/teams`,
      trees_url: `${api}/git/trees{/sha}`,
      clone_url: `https://github.com/${full}.git`,
      mirror_url: null,
      hooks_url: `${api}/hooks`,
      svn_url: `${WEB}/${full}`,
      homepage: null,
      language: 'HCL',
      forks_count: 0,
      stargazers_count: 3,
      watchers_count: 3,
      size: 412,
      default_branch: world.repository.defaultBranch,
      open_issues_count: 1,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: world.repository.visibility,
      pushed_at: '2026-11-20T10:00:00Z',
      created_at: created,
      updated_at: created,
      allow_forking: false,
      web_commit_signoff_required: false,
      license: null,
      forks: 0,
      open_issues: 1,
      watchers: 3,
    };
  }

  /** A workflow run's `repository`: the same properties, fewer of them required. */
  minimalRepository(): Json {
    return this.repository();
  }

  private pullUrls(pull: Pull): Json {
    const api = this.repoApi;
    const html = `${WEB}/${this.fullName()}/pull/${pull.number}`;
    return {
      url: `${api}/pulls/${pull.number}`,
      id: pull.id,
      node_id: `PR_kwDO${Buffer.from(String(pull.id)).toString('base64url')}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${pull.number}`,
      commits_url: `${api}/pulls/${pull.number}/commits`,
      review_comments_url: `${api}/pulls/${pull.number}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${pull.number}/comments`,
      statuses_url: `${api}/statuses/${pull.headSha}`,
    };
  }

  private branch(pull: Pull, side: 'head' | 'base'): Json {
    const world = this.world;
    const fork = side === 'head' && pull.forkOwnerId !== undefined ? world.requireId(pull.forkOwnerId) : undefined;
    const owner = fork ?? world.owner();
    const ref = side === 'head' ? pull.headRef : pull.base;
    const sha = side === 'head' ? pull.headSha : (pull.merge?.baseSha ?? this.baseTip(pull));
    const repo = fork ? this.repository({ owner: fork, id: pull.id % 900_000_000, fork: true }) : this.repository();
    return { label: `${owner.login}:${ref}`, ref, sha, user: this.user(owner), repo };
  }

  /** The base branch's tip the pull request was opened against (stable per pull request). */
  private baseTip(pull: Pull): string {
    return hexOf(`base:${pull.base}:${pull.number}`);
  }

  pullSimple(pull: Pull): Json {
    const api = this.repoApi;
    const merged = pull.merge !== undefined;
    const links = (href: string) => ({ href });
    return {
      ...this.pullUrls(pull),
      number: pull.number,
      state: pull.closedAt === null ? 'open' : 'closed',
      locked: false,
      title: pull.title,
      user: this.user(this.world.requireId(pull.authorId)),
      body: pull.body,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: pull.createdAt,
      updated_at: pull.merge?.at ?? pull.closedAt ?? pull.createdAt,
      closed_at: pull.closedAt,
      merged_at: merged ? pull.merge!.at : null,
      merge_commit_sha: pull.merge?.sha ?? null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: this.branch(pull, 'head'),
      base: this.branch(pull, 'base'),
      _links: {
        self: links(`${api}/pulls/${pull.number}`),
        html: links(`${WEB}/${this.fullName()}/pull/${pull.number}`),
        issue: links(`${api}/issues/${pull.number}`),
        comments: links(`${api}/issues/${pull.number}/comments`),
        review_comments: links(`${api}/pulls/${pull.number}/comments`),
        review_comment: links(`${api}/pulls/comments{/number}`),
        commits: links(`${api}/pulls/${pull.number}/commits`),
        statuses: links(`${api}/statuses/${pull.headSha}`),
      },
      author_association: this.world.associationOf(pull.authorId),
      auto_merge: null,
      draft: pull.draft,
    };
  }

  pull(pull: Pull): Json {
    const merged = pull.merge !== undefined;
    const additions = pull.files.reduce((sum, file) => sum + file.additions, 0);
    const deletions = pull.files.reduce((sum, file) => sum + file.deletions, 0);
    return {
      ...this.pullSimple(pull),
      user: this.user(this.world.requireId(pull.authorId)),
      merged,
      mergeable: merged || pull.closedAt !== null ? null : true,
      rebaseable: merged || pull.closedAt !== null ? null : true,
      mergeable_state: merged || pull.closedAt !== null ? 'unknown' : 'clean',
      merged_by: merged ? this.user(this.world.requireId(pull.merge!.byId)) : null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: pull.commits.length,
      additions,
      deletions,
      changed_files: pull.files.length,
    };
  }

  review(pull: Pull, review: Review): Json {
    const html = `${WEB}/${this.fullName()}/pull/${pull.number}#pullrequestreview-${review.id}`;
    const pullUrl = `${this.repoApi}/pulls/${pull.number}`;
    return {
      id: review.id,
      node_id: `PRR_kwDO${Buffer.from(String(review.id)).toString('base64url')}`,
      user: this.userById(review.accountId),
      body: review.body,
      state: review.state,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: review.accountId === null ? 'NONE' : this.world.associationOf(review.accountId),
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      ...(review.state !== 'PENDING' && { submitted_at: review.submittedAt }),
      commit_id: review.commitId,
    };
  }

  file(pull: Pull, file: PullFile): Json {
    const sha = hexOf(`${file.status === 'removed' ? 'removed' : pull.headSha}:${file.filename}`);
    const path = file.filename.split('/').map(encodeURIComponent).join('/');
    return {
      sha,
      filename: file.filename,
      status: file.status,
      additions: file.additions,
      deletions: file.deletions,
      changes: file.additions + file.deletions,
      blob_url: `${WEB}/${this.fullName()}/blob/${pull.headSha}/${path}`,
      raw_url: `${WEB}/${this.fullName()}/raw/${pull.headSha}/${path}`,
      contents_url: `${this.repoApi}/contents/${path}?ref=${pull.headSha}`,
      ...(file.patch !== undefined && { patch: file.patch }),
      ...(file.previousFilename !== undefined && { previous_filename: file.previousFilename }),
    };
  }

  environmentRef(name: string): Json {
    const environment = this.world.environment(name);
    return {
      id: environment.id,
      node_id: Buffer.from(`011:Environment${environment.id}`).toString('base64'),
      name,
      url: `${this.repoApi}/environments/${encodeURIComponent(name)}`,
      html_url: `${WEB}/${this.fullName()}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
      created_at: environment.createdAt,
      updated_at: environment.createdAt,
    };
  }

  approval(entry: ApprovalEntry): Json {
    return {
      environments: entry.environments.map((name) => this.environmentRef(name)),
      state: entry.state,
      comment: entry.comment,
      user: this.user(this.world.requireId(entry.accountId)),
    };
  }

  run(run: Run, attempt: Attempt): Json {
    const api = `${this.repoApi}/actions/runs/${run.id}`;
    const html = `${WEB}/${this.fullName()}/actions/runs/${run.id}`;
    const actor = this.world.requireId(run.actorId);
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
      check_suite_node_id: `CS_kwDO${Buffer.from(String(run.id + attempt.number)).toString('base64url')}`,
      url: api,
      html_url: html,
      pull_requests: [],
      created_at: run.createdAt,
      updated_at: attempt.startedAt,
      actor: this.user(actor),
      triggering_actor: this.user(this.world.requireId(attempt.triggeringActorId)),
      run_started_at: attempt.startedAt,
      jobs_url: `${api}/jobs`,
      logs_url: `${api}/logs`,
      check_suite_url: `${this.repoApi}/check-suites/${run.id + attempt.number}`,
      artifacts_url: `${api}/artifacts`,
      cancel_url: `${api}/cancel`,
      rerun_url: `${api}/rerun`,
      previous_attempt_url: attempt.number > 1 ? `${api}/attempts/${attempt.number - 1}` : null,
      workflow_url: `${this.repoApi}/actions/workflows/${run.workflowId}`,
      head_commit: {
        id: run.sha,
        tree_id: hexOf(`tree:${run.sha}`),
        message: `Reset MFA (run ${run.number})`,
        timestamp: run.createdAt,
        author: committer,
        committer,
      },
      repository: this.minimalRepository(),
      head_repository: this.minimalRepository(),
    };
  }

  job(run: Run, attempt: Attempt): Json {
    const html = `${WEB}/${this.fullName()}/actions/runs/${run.id}/job/${attempt.jobId}`;
    return {
      id: attempt.jobId,
      run_id: run.id,
      run_url: `${this.repoApi}/actions/runs/${run.id}`,
      run_attempt: attempt.number,
      node_id: `CR_kwDO${Buffer.from(String(attempt.jobId)).toString('base64url')}`,
      head_sha: run.sha,
      url: `${this.repoApi}/actions/jobs/${attempt.jobId}`,
      html_url: html,
      status: attempt.status,
      conclusion: attempt.conclusion,
      created_at: attempt.startedAt,
      started_at: attempt.startedAt,
      completed_at: null,
      name: attempt.jobName,
      steps: [],
      check_run_url: `${this.repoApi}/check-runs/${attempt.jobId}`,
      labels: ['ubuntu-latest'],
      runner_id: attempt.status === 'waiting' ? null : 1000 + attempt.number,
      runner_name: attempt.status === 'waiting' ? null : `GitHub Actions ${1000 + attempt.number}`,
      runner_group_id: attempt.status === 'waiting' ? null : 2,
      runner_group_name: attempt.status === 'waiting' ? null : 'GitHub Actions',
      workflow_name: run.workflowName,
      head_branch: run.branch,
    };
  }

  jobUrl(run: Run, attempt: Attempt): string {
    return `${WEB}/${this.fullName()}/actions/runs/${run.id}/job/${attempt.jobId}`;
  }

  /** GitHub Actions as the app behind the deployments it makes (`performed_via_github_app`). */
  actionsApp(): Json {
    return {
      id: 15368,
      slug: 'github-actions',
      node_id: 'MDM6QXBwMTUzNjg=',
      owner: this.user({ id: 9919, login: 'github', type: 'Organization' }),
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
    const url = `${this.repoApi}/deployments/${deployment.id}`;
    return {
      url,
      id: deployment.id,
      node_id: `DE_kwDO${Buffer.from(String(deployment.id)).toString('base64url')}`,
      sha: deployment.sha,
      ref: deployment.ref,
      task: 'deploy',
      payload: {},
      original_environment: deployment.environment,
      environment: deployment.environment,
      description: null,
      creator: this.user(this.world.requireLogin('github-actions[bot]')),
      created_at: deployment.createdAt,
      updated_at: deployment.statuses.at(-1)?.at ?? deployment.createdAt,
      statuses_url: `${url}/statuses`,
      repository_url: this.repoApi,
      transient_environment: false,
      production_environment: false,
      performed_via_github_app: this.actionsApp(),
    };
  }

  deploymentStatus(deployment: Deployment, status: DeploymentStatus): Json {
    const url = `${this.repoApi}/deployments/${deployment.id}`;
    return {
      url: `${url}/statuses/${status.id}`,
      id: status.id,
      node_id: `DES_kwDO${Buffer.from(String(status.id)).toString('base64url')}`,
      state: status.state,
      creator: this.user(this.world.requireLogin('github-actions[bot]')),
      description: '',
      environment: deployment.environment,
      target_url: status.logUrl,
      log_url: status.logUrl,
      created_at: status.at,
      updated_at: status.at,
      deployment_url: url,
      repository_url: this.repoApi,
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
      reviewers: [...this.world.collaborators.entries()]
        .filter(([, role]) => role === 'admin' || role === 'maintain')
        .map(([id]) => ({ type: 'User', reviewer: this.user(this.world.requireId(id)) })),
    };
  }
}
