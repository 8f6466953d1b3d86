// Faults on demand for the GitHub endpoints, by Octokit name ('pulls.listReviews') or '*': GitHub's
// rate limits as it answers them, server errors, a dropped connection, a slow answer. Once
// (default), N times, or always; optionally after letting some requests through.
export type GitHubFaultKind =
  | 'primary-rate-limit' // 403 (or `status: 429`), x-ratelimit-remaining: 0, "API rate limit exceeded for installation ID …"
  | 'secondary-rate-limit' // 403 (or `status: 429`) with retry-after, "You have exceeded a secondary rate limit…"
  | 'server-error' // `status` (default 502) with GitHub's JSON error body
  | 'reset' // destroy the connection without answering
  | 'slow'; // wait delayMs, then answer normally

export interface GitHubFaultSpec {
  /** Octokit's name of the endpoint ('actions.getReviewsForRun', 'pulls.listFiles', …) or '*'. */
  endpoint: string;
  kind: GitHubFaultKind;
  /** How many matching requests it hits: a count (default 1) or 'always'. */
  times?: number | 'always';
  /** How many matching requests it lets through first (default 0). */
  after?: number;
  /** The HTTP status for rate limits (403 or 429) and server errors. */
  status?: number;
  /** Seconds in `retry-after` for a secondary rate limit (default 60). */
  retryAfter?: number;
  /** For 'slow' (default 1000). */
  delayMs?: number;
}

interface TakenGitHubFault {
  kind: GitHubFaultKind;
  status: number | undefined;
  retryAfter: number;
  delayMs: number;
}

interface Pending {
  spec: GitHubFaultSpec;
  skip: number;
  remaining: number;
}

export class GitHubFaults {
  private readonly pending: Pending[] = [];

  inject(spec: GitHubFaultSpec): void {
    const times = spec.times ?? 1;
    this.pending.push({ spec, skip: spec.after ?? 0, remaining: times === 'always' ? Number.POSITIVE_INFINITY : times });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The first pending fault for this endpoint, used up by one; faults apply in the order injected. */
  take(endpoint: string): TakenGitHubFault | undefined {
    let hit: Pending | undefined;
    for (const fault of this.pending) {
      if (fault.spec.endpoint !== endpoint && fault.spec.endpoint !== '*') continue;
      if (fault.skip > 0) fault.skip -= 1;
      else hit ??= fault;
    }
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.pending.splice(this.pending.indexOf(hit), 1);
    const { kind, status, retryAfter = 60, delayMs = 1000 } = hit.spec;
    return { kind, status, retryAfter, delayMs };
  }
}
