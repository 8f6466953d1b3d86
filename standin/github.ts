// GitHub's REST API, the few endpoints the action calls, served under /github so GITHUB_API_URL can
// point at the stand-in: a run's environment approvals, a commit's pull requests and a pull
// request's reviews, with GitHub's JSON shapes, its Link-header pagination, and its refusals
// (401 for an unknown token, 403 "Resource not accessible by integration" for a token without the
// permission, 404 for an unknown run or repository, 422 for an unknown commit).
import { randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLogEntry } from './log.ts';

export const GITHUB_PATH = '/github';

export type Permission = 'actions' | 'contents' | 'pull-requests';
export type Permissions = Partial<Record<Permission, 'read' | 'write'>>;

export interface RunApprovalSpec {
  login: string;
  state: 'approved' | 'rejected' | 'pending';
  environments?: string[];
  comment?: string;
}

export interface ReviewSpec {
  login: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commitId: string;
  body?: string;
}

export interface PullRequestSpec {
  number: number;
  author: string;
  title?: string;
  headSha: string;
  /** Set once merged: the commit the merge made on the base branch. */
  mergeCommitSha?: string;
  /** Commits of the pull request besides the head (shas), so they map back to it. */
  commits?: string[];
  reviews?: ReviewSpec[];
}

interface Endpoint {
  /** Octokit's name for it, which the request log shows. */
  name: string;
  permission: Permission;
  docs: string;
}

const ENDPOINTS = {
  runApprovals: {
    name: 'actions.getReviewsForRun',
    permission: 'actions',
    docs: 'https://docs.github.com/rest/actions/workflow-runs#get-the-review-history-for-a-workflow-run',
  },
  commitPulls: {
    name: 'repos.listPullRequestsAssociatedWithCommit',
    permission: 'contents',
    docs: 'https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit',
  },
  reviews: { name: 'pulls.listReviews', permission: 'pull-requests', docs: 'https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request' },
} as const satisfies Record<string, Endpoint>;

class HttpFailure extends Error {
  readonly status: number;
  readonly docs: string;
  constructor(status: number, message: string, docs: string) {
    super(message);
    this.status = status;
    this.docs = docs;
  }
}

export class GitHubStandin {
  readonly owner = 'octo';
  readonly repo = 'app';
  /** Each token's permissions and the name the request log shows for it (never the token). */
  readonly tokens = new Map<string, { permissions: Permissions; name: string }>();
  readonly runs = new Map<number, RunApprovalSpec[]>();
  readonly pulls = new Map<number, PullRequestSpec>();
  /** Most reviews one page holds whatever per_page asks (GitHub: 30 by default, 100 at most); tests lower it to force paging. */
  pageSize: number | undefined;
  private readonly ids = new Map<string, number>();

  /** A token with these permissions, like the job's GITHUB_TOKEN under a `permissions:` block. */
  issueToken(permissions: Permissions): string {
    const token = `ghs_${randomUUID().replace(/-/g, '')}`;
    this.tokens.set(token, { permissions, name: `token-${this.tokens.size + 1}` });
    return token;
  }

  handle(req: IncomingMessage, res: ServerResponse, url: URL, record: (entry: RequestLogEntry) => void, now: Date): void {
    const requestId = `${randomUUID().slice(0, 8).toUpperCase()}:${randomInt(1e6)}`;
    const entry: RequestLogEntry = {
      time: now.toISOString(),
      action: `${req.method} ${url.pathname}`,
      service: 'github',
      identity: 'anonymous',
      mfa: false,
      params: {},
      outcome: 'ok',
      status: 200,
    };
    const base = `http://${req.headers.host ?? '127.0.0.1'}${GITHUB_PATH}`;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      const route = this.route(req.method ?? 'GET', url.pathname.slice(GITHUB_PATH.length));
      if (!route) throw new HttpFailure(404, 'Not Found', 'https://docs.github.com/rest');
      entry.action = route.endpoint.name;
      entry.params = route.params;
      const token = /^(?:token|bearer) (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const grant = token === undefined ? undefined : this.tokens.get(token);
      if (!grant) throw new HttpFailure(401, token === undefined ? 'Requires authentication' : 'Bad credentials', 'https://docs.github.com/rest');
      const { permissions } = grant;
      entry.identity = grant.name;
      if (route.params['owner']?.toLowerCase() !== this.owner || route.params['repo']?.toLowerCase() !== this.repo) {
        throw new HttpFailure(404, 'Not Found', route.endpoint.docs);
      }
      if (!permissions[route.endpoint.permission]) throw new HttpFailure(403, 'Resource not accessible by integration', route.endpoint.docs);
      ({ body, headers } = route.answer(base, url.searchParams));
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      entry.outcome = error.message;
      entry.status = error.status;
      body = { message: error.message, documentation_url: error.docs, status: String(error.status) };
    }
    record(entry);
    const text = JSON.stringify(body);
    res.writeHead(entry.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'X-GitHub-Request-Id': requestId,
      'X-GitHub-Media-Type': 'github.v3; format=json',
      'X-RateLimit-Limit': '5000',
      'X-RateLimit-Remaining': '4999',
      ...headers,
    });
    res.end(text);
  }

  private route(
    method: string,
    path: string,
  ):
    | {
        endpoint: Endpoint;
        params: Record<string, string>;
        answer: (base: string, query: URLSearchParams) => { body: unknown; headers: Record<string, string> };
      }
    | undefined {
    if (method !== 'GET') return undefined;
    const segment = '([^/]+)';
    let match = new RegExp(`^/repos/${segment}/${segment}/actions/runs/(\\d+)/approvals$`).exec(path);
    if (match) {
      const [, owner = '', repo = '', runId = ''] = match;
      return {
        endpoint: ENDPOINTS.runApprovals,
        params: { owner, repo, run_id: runId },
        answer: (base) => ({ body: this.runApprovals(base, Number(runId)), headers: {} }),
      };
    }
    match = new RegExp(`^/repos/${segment}/${segment}/commits/${segment}/pulls$`).exec(path);
    if (match) {
      const [, owner = '', repo = '', sha = ''] = match;
      return {
        endpoint: ENDPOINTS.commitPulls,
        params: { owner, repo, commit_sha: sha },
        answer: (base) => ({ body: this.commitPulls(base, sha), headers: {} }),
      };
    }
    match = new RegExp(`^/repos/${segment}/${segment}/pulls/(\\d+)/reviews$`).exec(path);
    if (match) {
      const [, owner = '', repo = '', number = ''] = match;
      return {
        endpoint: ENDPOINTS.reviews,
        params: { owner, repo, pull_number: number },
        answer: (base, query) => this.reviews(base, Number(number), query, path),
      };
    }
    return undefined;
  }

  private runApprovals(base: string, runId: number): unknown[] {
    const approvals = this.runs.get(runId);
    if (!approvals) throw new HttpFailure(404, 'Not Found', ENDPOINTS.runApprovals.docs);
    return approvals.map((approval) => ({
      environments: (approval.environments ?? ['iam-admin']).map((name) => this.environment(base, name)),
      state: approval.state,
      comment: approval.comment ?? '',
      user: this.user(base, approval.login),
    }));
  }

  private commitPulls(base: string, sha: string): unknown[] {
    if (!/^[0-9a-f]{7,40}$/.test(sha)) throw new HttpFailure(422, `No commit found for SHA: ${sha}`, ENDPOINTS.commitPulls.docs);
    const pulls = [...this.pulls.values()].filter((pull) => [pull.headSha, pull.mergeCommitSha, ...(pull.commits ?? [])].includes(sha));
    return pulls.map((pull) => this.pullRequest(base, pull));
  }

  private reviews(base: string, number: number, query: URLSearchParams, path: string): { body: unknown; headers: Record<string, string> } {
    const pull = this.pulls.get(number);
    if (!pull) throw new HttpFailure(404, 'Not Found', ENDPOINTS.reviews.docs);
    const perPage = Math.min(Number(query.get('per_page')) || 30, 100, this.pageSize ?? 100);
    const page = Math.max(Number(query.get('page')) || 1, 1);
    const all = (pull.reviews ?? []).map((review, index) => this.review(base, pull, review, index));
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const link = (n: number, rel: string): string => `<${base}${path}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
    const links = [...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []), ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : [])];
    return { body: all.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { Link: links.join(', ') } : {} };
  }

  private id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = randomInt(1_000_000, 99_999_999);
      this.ids.set(key, id);
    }
    return id;
  }

  private user(base: string, login: string): Record<string, unknown> {
    const id = this.id(`user:${login.toLowerCase()}`);
    const api = `${base}/users/${login}`;
    return {
      login,
      id,
      node_id: Buffer.from(`04:User${id}`).toString('base64'),
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: `https://github.com/${login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: login.endsWith('[bot]') ? 'Bot' : 'User',
      user_view_type: 'public',
      site_admin: false,
    };
  }

  private environment(base: string, name: string): Record<string, unknown> {
    const id = this.id(`environment:${name}`);
    return {
      id,
      node_id: Buffer.from(`010:Environment${id}`).toString('base64'),
      name,
      url: `${base}/repos/${this.owner}/${this.repo}/environments/${name}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/deployments/activity_log?environments_filter=${name}`,
      created_at: '2026-01-05T10:00:00Z',
      updated_at: '2026-01-05T10:00:00Z',
    };
  }

  private pullRequest(base: string, pull: PullRequestSpec): Record<string, unknown> {
    const api = `${base}/repos/${this.owner}/${this.repo}`;
    const html = `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`;
    const merged = pull.mergeCommitSha !== undefined;
    const branch = (ref: string, sha: string) => ({ label: `${this.owner}:${ref}`, ref, sha, user: this.user(base, this.owner), repo: null });
    return {
      url: `${api}/pulls/${pull.number}`,
      id: this.id(`pull:${pull.number}`),
      node_id: Buffer.from(`PR_${pull.number}`).toString('base64'),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${pull.number}`,
      commits_url: `${api}/pulls/${pull.number}/commits`,
      review_comments_url: `${api}/pulls/${pull.number}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${pull.number}/comments`,
      statuses_url: `${api}/statuses/${pull.headSha}`,
      number: pull.number,
      state: merged ? 'closed' : 'open',
      locked: false,
      title: pull.title ?? `Reset MFA request #${pull.number}`,
      user: this.user(base, pull.author),
      body: null,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: '2026-11-20T09:00:00Z',
      updated_at: '2026-11-20T10:00:00Z',
      closed_at: merged ? '2026-11-20T10:00:00Z' : null,
      merged_at: merged ? '2026-11-20T10:00:00Z' : null,
      merge_commit_sha: pull.mergeCommitSha ?? null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: branch(`request-${pull.number}`, pull.headSha),
      base: branch('main', pull.mergeCommitSha ?? '0'.repeat(40)),
      _links: { self: { href: `${api}/pulls/${pull.number}` }, html: { href: html } },
      author_association: 'MEMBER',
      auto_merge: null,
      draft: false,
    };
  }

  private review(base: string, pull: PullRequestSpec, review: ReviewSpec, index: number): Record<string, unknown> {
    const id = this.id(`review:${pull.number}:${index}`);
    const html = `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}#pullrequestreview-${id}`;
    return {
      id,
      node_id: Buffer.from(`PRR_${id}`).toString('base64'),
      user: this.user(base, review.login),
      body: review.body ?? '',
      state: review.state,
      html_url: html,
      pull_request_url: `${base}/repos/${this.owner}/${this.repo}/pulls/${pull.number}`,
      author_association: 'MEMBER',
      _links: { html: { href: html }, pull_request: { href: `${base}/repos/${this.owner}/${this.repo}/pulls/${pull.number}` } },
      ...(review.state !== 'PENDING' && { submitted_at: new Date(Date.UTC(2026, 10, 20, 9, index)).toISOString().replace('.000Z', 'Z') }),
      commit_id: review.commitId,
    };
  }
}
