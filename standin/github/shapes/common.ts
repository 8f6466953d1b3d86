// The accounts and the repository in GitHub's JSON shapes, and what every shape shares: every
// property the OpenAPI description marks required (api.github.com, @octokit/openapi), with values
// that look like GitHub's. `api` is where the stand-in's API lives (what GITHUB_API_URL names);
// browser links point at https://github.com.
import { createHash } from 'node:crypto';
import type { Account, GitHubWorld, Role } from '../model.ts';

export const WEB = 'https://github.com';
export type Json = Record<string, unknown>;

/** GitHub's legacy node ids: base64 of `<kind length>:<kind><id>` (MDQ6VXNlcjE= is user 1). */
export const nodeId = (kind: string, id: number): string => Buffer.from(`0${kind.length}:${kind}${id}`).toString('base64');
/** A stable 40-hex name for something (a blob, a tree, a base tip). */
export const hexOf = (text: string): string => createHash('sha1').update(text).digest('hex');
/** GitHub's newer node ids: a prefix and the database id. */
export const newNodeId = (prefix: string, id: number): string => `${prefix}_kwDO${Buffer.from(String(id)).toString('base64url')}`;

/** `permission` folds maintain into write and triage into read, as GitHub's docs say. */
export function permissionOf(role: Role | undefined): 'admin' | 'write' | 'read' | 'none' {
  if (role === 'admin') return 'admin';
  if (role === 'maintain' || role === 'write') return 'write';
  if (role === 'triage' || role === 'read') return 'read';
  return 'none';
}

export class AccountShapes {
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
      node_id: nodeId(account.type, account.id),
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
      node_id: nodeId('Repository', id),
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
}
