// Faults on demand for the GitHub endpoints, by Octokit name ('pulls.listReviews') or '*': GitHub's
// rate limits as it answers them, server errors, a dropped connection, a slow answer. Once
// (default), N times, or always; optionally after letting some requests through.
import { FaultQueue } from '../faults.ts';

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

export class GitHubFaults {
  readonly #queue = new FaultQueue<GitHubFaultSpec>();

  inject(spec: GitHubFaultSpec): void {
    const times = spec.times ?? 1;
    this.#queue.add(spec, spec.endpoint, times === 'always' ? Number.POSITIVE_INFINITY : times, spec.after ?? 0);
  }

  clear(): void {
    this.#queue.clear();
  }

  /** The first pending fault for this endpoint (FaultQueue.take), used up by one. */
  take(endpoint: string): TakenGitHubFault | undefined {
    const spec = this.#queue.take(endpoint);
    if (!spec) return undefined;
    const { kind, status, retryAfter = 60, delayMs = 1000 } = spec;
    return { kind, status, retryAfter, delayMs };
  }
}
