// The clients' retry strategy: the SDK's standard one, told by the error table what to retry and
// how to pace it, and never starting a retry that could not finish before the run's deadline. The
// SDK's retry middleware runs it, so every attempt is the SDK's own (signing, clock-skew
// correction, $metadata.attempts); the action writes no retry loop of its own.
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryErrorType, RetryStrategyV2, StandardRetryBackoffStrategy, StandardRetryToken } from '@smithy/types';
import type { RetryPace } from './error-table.ts';
import { awsErrorRow, clockSkewCorrected } from './errors.ts';

/** Attempts per call, the first included, for every call but GetSessionToken (which gets exactly one). */
export const MAX_ATTEMPTS = 5;

/** A retry is started only if this much of the run's time is left after its backoff. */
export const MIN_ATTEMPT_MS = 1_000;

// The SDK's standard backoff: full jitter on 50 ms (1 s when throttled), doubling, at most 20 s.
const SDK_BASE_MS = { transient: 50, throttling: 1_000 } as const;
const SDK_MAX_DELAY_MS = 20_000;
// Waiting for AWS to settle: 1, 2, 4, 8 s, each between half and all of it.
const SETTLING_BASE_MS = 1_000;
const SETTLING_MAX_DELAY_MS = 8_000;
// The standard strategy may wait up to 5 s longer than its backoff when AWS sends Retry-After.
const RETRY_AFTER_EXTRA_MS = 5_000;

export type RetryDecision =
  { retry: true; pace: RetryPace; errorType: RetryErrorType; maxDelayMs: number } | { retry: false; why: 'attempts' | 'not-retryable' | 'deadline' };

/** What the strategy knows when an attempt has failed. */
export interface FailedAttempt {
  error: unknown;
  /** The SDK's own classification of the error. */
  sdkType: RetryErrorType;
  /** Attempts made so far, the failed one included (1 after the first). */
  attempt: number;
  maxAttempts: number;
  /** Time left before the run's deadline. */
  remainingMs: number;
  /** AWS sent Retry-After. */
  retryAfter: boolean;
}

/**
 * Whether to retry, and how: the error table's row decides; an error it has no row for keeps the
 * SDK's own decision. A 'report' or 'done' row is not retried, except once when the SDK has just
 * corrected its clock from AWS's answer (a request signed with a skewed clock). Pure.
 */
export function retryDecision({ error, sdkType, attempt, maxAttempts, remainingMs, retryAfter }: FailedAttempt): RetryDecision {
  if (attempt >= maxAttempts) return { retry: false, why: 'attempts' };
  const pace = paceOf(error, sdkType, attempt);
  if (pace === undefined) return { retry: false, why: 'not-retryable' };
  const maxDelayMs = maxBackoffMs(pace, attempt - 1) + (retryAfter ? RETRY_AFTER_EXTRA_MS : 0);
  if (maxDelayMs + MIN_ATTEMPT_MS > remainingMs) return { retry: false, why: 'deadline' };
  return { retry: true, pace, errorType: pace === 'throttling' ? 'THROTTLING' : 'TRANSIENT', maxDelayMs };
}

function paceOf(error: unknown, sdkType: RetryErrorType, attempt: number): RetryPace | undefined {
  const row = awsErrorRow(error);
  if (row?.action === 'retry') return row.pace;
  if (row) return clockSkewCorrected(error) && attempt === 1 ? 'transient' : undefined;
  if (sdkType === 'THROTTLING') return 'throttling';
  return sdkType === 'TRANSIENT' ? 'transient' : undefined;
}

/** The longest backoff before retry number `retries + 1`: what must fit before the deadline. */
export function maxBackoffMs(pace: RetryPace, retries: number): number {
  if (pace === 'settling') return Math.min(SETTLING_BASE_MS * 2 ** retries, SETTLING_MAX_DELAY_MS);
  return Math.min(SDK_BASE_MS[pace] * 2 ** retries, SDK_MAX_DELAY_MS);
}

/** The settling backoff: 1, 2, 4, 8 s, each between half and all of it (never near zero: AWS needs the time). */
export function settlingBackoff(random: () => number = Math.random): StandardRetryBackoffStrategy {
  return {
    computeNextBackoffDelay: (retries: number) => Math.floor(maxBackoffMs('settling', retries) * (0.5 + random() / 2)),
    setDelayBase: () => {},
  };
}

/**
 * The SDK's StandardRetryStrategy (attempt count, retry quota, backoff, Retry-After), with the
 * error table deciding what is retried and at which pace, and the run's deadline bounding it.
 */
export class TableRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  readonly #maxAttempts: number;
  readonly #remainingMs: () => number;
  /** Throttling and transient errors: the SDK's own backoff. */
  readonly #standard: StandardRetryStrategy;
  /** Errors that need AWS to settle: the same strategy with the settling backoff. */
  readonly #settling: StandardRetryStrategy;

  constructor(options: { maxAttempts: number; remainingMs: () => number; random?: () => number }) {
    this.#maxAttempts = options.maxAttempts;
    this.#remainingMs = options.remainingMs;
    this.#standard = new StandardRetryStrategy({ maxAttempts: options.maxAttempts });
    this.#settling = new StandardRetryStrategy({ maxAttempts: options.maxAttempts, backoff: settlingBackoff(options.random) });
  }

  acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    return this.#standard.acquireInitialRetryToken(scope);
  }

  /** The SDK's retry middleware asks this after each failed attempt; throwing means "stop, report the error". */
  refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    const decision = retryDecision({
      error: errorInfo.error,
      sdkType: errorInfo.errorType,
      attempt: token.getRetryCount() + 1,
      maxAttempts: this.#maxAttempts,
      remainingMs: this.#remainingMs(),
      retryAfter: errorInfo.retryAfterHint !== undefined,
    });
    // The SDK's middleware then rethrows the attempt's own error; this one is never shown.
    if (!decision.retry) return Promise.reject(new Error(decision.why));
    const strategy = decision.pace === 'settling' ? this.#settling : this.#standard;
    return strategy.refreshRetryTokenForRetry(token, { ...errorInfo, errorType: decision.errorType });
  }

  recordSuccess(token: StandardRetryToken): void {
    this.#standard.recordSuccess(token);
  }

  /** The SDK reads this from some strategies. */
  maxAttempts(): Promise<number> {
    return Promise.resolve(this.#maxAttempts);
  }
}
