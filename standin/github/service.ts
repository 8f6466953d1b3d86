// GitHub's REST API over the world, under /github so GITHUB_API_URL can point at the stand-in:
// token check (401), repository visibility (404), the token's permission (403 "Resource not
// accessible by integration"), then the endpoint (404, 422); GitHub's headers on every answer
// (x-ratelimit-*, x-github-request-id, x-accepted-github-permissions, link), and faults on demand.
import { randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLogEntry } from '../log.ts';
import { type Answer, DOCS, HttpFailure, route, type Scope } from './endpoints.ts';
import { GitHubFaults } from './faults.ts';
import { GitHubWorld } from './model.ts';
import { Shapes } from './shapes.ts';

export const GITHUB_PATH = '/github';

/** A job token's `permissions:` (GitHub's names; `write` includes `read`; metadata is always readable). */
export type Permission = Scope | 'checks' | 'issues' | 'statuses' | 'id-token';
export type Permissions = Partial<Record<Permission, 'read' | 'write' | 'none'>>;

/** GITHUB_TOKEN's primary rate limit: 1,000 requests an hour per repository. */
export const TOKEN_RATE_LIMIT = 1000;

interface Grant {
  permissions: Permissions;
  name: string;
  used: number;
  windowStart: number;
}

const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

export class GitHubStandin {
  readonly world = new GitHubWorld();
  readonly faults = new GitHubFaults();
  /** Each token's permissions and the name the request log shows for it (never the token). */
  readonly tokens = new Map<string, Grant>();
  /** Most items one page holds whatever per_page asks (GitHub: 30 by default, 100 at most); tests lower it to force paging. */
  pageSize: number | undefined;
  private readonly installationId = randomInt(10_000_000, 99_999_999);

  /** A token with these permissions, like the job's GITHUB_TOKEN under a `permissions:` block. */
  issueToken(permissions: Permissions): string {
    const token = `ghs_${randomUUID().replace(/-/g, '')}${randomInt(1e6)}`.slice(0, 40);
    this.tokens.set(token, { permissions, name: `token-${this.tokens.size + 1}`, used: 0, windowStart: 0 });
    return token;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, record: (entry: RequestLogEntry) => void, now: Date): Promise<void> {
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
    const api = `http://${req.headers.host ?? '127.0.0.1'}${GITHUB_PATH}`;
    const shapes = new Shapes(this.world, api);
    let answer: Answer;
    let headers: Record<string, string> = {};
    try {
      const found = route(this.world, req.method ?? 'GET', url.pathname.slice(GITHUB_PATH.length));
      if (!found) throw new HttpFailure(404, 'Not Found', DOCS);
      const { endpoint, params, repoPath, sameRepository } = found;
      entry.action = endpoint.name;
      entry.params = params;
      const token = /^(?:token|bearer) (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const grant = token === undefined ? undefined : this.tokens.get(token);
      if (!grant) {
        headers = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '59', 'x-ratelimit-used': '1', 'x-ratelimit-resource': 'core' };
        throw new HttpFailure(401, token === undefined ? 'Requires authentication' : 'Bad credentials', DOCS);
      }
      entry.identity = grant.name;
      headers = { ...this.rateLimit(grant, now), 'x-accepted-github-permissions': accepted(endpoint.permissions) };

      const fault = this.faults.take(endpoint.name);
      if (fault?.kind === 'reset') {
        entry.outcome = 'connection reset';
        entry.status = 0;
        record(entry);
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault?.kind === 'primary-rate-limit') {
        headers = { ...headers, 'x-ratelimit-remaining': '0', 'x-ratelimit-used': String(TOKEN_RATE_LIMIT) };
        throw new HttpFailure(fault.status ?? 403, `API rate limit exceeded for installation ID ${this.installationId}.`, RATE_LIMIT_DOCS);
      }
      if (fault?.kind === 'secondary-rate-limit') {
        headers = { ...headers, 'retry-after': String(fault.retryAfter) };
        const message =
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
          `If you reach out to GitHub Support for help, please include the request ID ${this.requestId}.`;
        throw new HttpFailure(fault.status ?? 403, message, `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`);
      }
      if (fault?.kind === 'server-error') throw new HttpFailure(fault.status ?? 502, 'Server Error', DOCS);

      // A token sees only its own repository; for any other one GitHub says Not Found, never Forbidden.
      if (!sameRepository) throw new HttpFailure(404, 'Not Found', endpoint.docs);
      if (!allowed(grant.permissions, endpoint.permissions)) throw new HttpFailure(403, 'Resource not accessible by integration', endpoint.docs);
      answer = endpoint.answer({ world: this.world, shapes, params, query: url.searchParams, page: (items) => this.page(items, url, api, repoPath) });
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      entry.outcome = error.message;
      entry.status = error.status;
      answer = { body: { message: error.message, documentation_url: error.docs, status: String(error.status) } };
    }
    record(entry);
    const text = JSON.stringify(answer.body);
    res.writeHead(entry.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-github-request-id': this.requestId,
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      ...headers,
      ...answer.headers,
    });
    res.end(text);
  }

  private get requestId(): string {
    return `${randomUUID().slice(0, 4).toUpperCase()}:${randomInt(0x10000, 0xfffff).toString(16).toUpperCase()}:${randomInt(1e6, 1e7).toString(16).toUpperCase()}`;
  }

  /** GITHUB_TOKEN's hourly window, counted per token. */
  private rateLimit(grant: Grant, now: Date): Record<string, string> {
    const seconds = Math.floor(now.getTime() / 1000);
    if (grant.windowStart === 0 || seconds >= grant.windowStart + 3600) {
      grant.windowStart = seconds;
      grant.used = 0;
    }
    grant.used += 1;
    return {
      'x-ratelimit-limit': String(TOKEN_RATE_LIMIT),
      'x-ratelimit-remaining': String(Math.max(TOKEN_RATE_LIMIT - grant.used, 0)),
      'x-ratelimit-reset': String(grant.windowStart + 3600),
      'x-ratelimit-used': String(grant.used),
      'x-ratelimit-resource': 'core',
    };
  }

  /** per_page (default 30, at most 100, and at most pageSize when a test lowers it) and page, with GitHub's Link header. */
  private page<T>(items: T[], url: URL, api: string, repoPath: string): { items: T[]; headers: Record<string, string> } {
    const asked = Number(url.searchParams.get('per_page'));
    const perPage = Math.min(Number.isInteger(asked) && asked > 0 ? asked : 30, 100, this.pageSize ?? 100);
    const askedPage = Number(url.searchParams.get('page'));
    const page = Number.isInteger(askedPage) && askedPage > 0 ? askedPage : 1;
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (n: number, rel: string): string => {
      const query = new URLSearchParams(url.searchParams);
      if (query.has('per_page') || perPage !== 30) query.set('per_page', String(perPage));
      query.set('page', String(n));
      // GitHub's links name the repository by id, whatever path the request used.
      return `<${api}/repositories/${this.world.repository.id}${repoPath}?${query}>; rel="${rel}"`;
    };
    const links = [
      ...(page > 1 ? [link(page - 1, 'prev')] : []),
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first')] : []),
    ];
    return { items: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
  }
}

function allowed(permissions: Permissions, alternatives: Scope[][]): boolean {
  const reads = (scope: Scope): boolean => scope === 'metadata' || permissions[scope] === 'read' || permissions[scope] === 'write';
  return alternatives.some((scopes) => scopes.every(reads));
}

/** x-accepted-github-permissions: the permission sets that would do, `;`-separated. */
function accepted(alternatives: Scope[][]): string {
  return alternatives.map((scopes) => scopes.map((scope) => `${scope.replace('-', '_')}=read`).join(',')).join('; ');
}
