// The run's time limit (`timeout-seconds`). Every outside call is raced against it, so no endpoint
// can hold the run past it: not one that never answers, nor one that answers a byte a minute
// (which defeats any idle timeout), nor a client that retries on its own (the OIDC fetch).
import { ActionError } from '../errors.ts';

/** A call the run gave up on because its time limit ran out. */
export class RunTimeoutError extends ActionError {
  override readonly name = 'RunTimeoutError';
  readonly call: string;
  constructor(call: string, seconds: number) {
    super(`${call} did not complete before the run's time limit ran out (timeout-seconds: ${seconds}).`);
    this.call = call;
  }
}

export class Deadline {
  /** timeout-seconds, as messages name it. */
  readonly seconds: number;
  /** Aborts when the run's time is up or the run has ended: every request carries it. */
  readonly signal: AbortSignal;
  readonly #ended = new AbortController();
  readonly #endsAt: number;

  /** `ms` defaults to `seconds`; tests pass a shorter one to reach the limit in milliseconds. */
  constructor(seconds: number, ms = seconds * 1000) {
    this.seconds = seconds;
    this.#endsAt = Date.now() + ms;
    // AbortSignal.timeout's timer never keeps the process alive.
    this.signal = AbortSignal.any([AbortSignal.timeout(ms), this.#ended.signal]);
  }

  /**
   * Waits for one outside call, and gives up on it once the run's time is up, even if the call
   * ignores the signal it is given. `call` names it in the error, e.g. "iam:ListMFADevices".
   */
  async race<T>(call: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { signal } = this;
    const expired = (): RunTimeoutError => new RunTimeoutError(call, this.seconds);
    if (signal.aborted) throw expired();
    let onAbort = (): void => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(expired());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work(signal), aborted]);
    } catch (error) {
      // An abort the call noticed first (the SDK's AbortError) is still this deadline's doing.
      if (signal.aborted && !(error instanceof RunTimeoutError)) throw expired();
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Milliseconds left before the limit; 0 once it has passed or the run has ended. A retry that would not fit is not started. */
  remainingMs(): number {
    return this.signal.aborted ? 0 : Math.max(0, this.#endsAt - Date.now());
  }

  /** The run is over: abort whatever is still in flight so nothing holds the process open. */
  end(): void {
    this.#ended.abort(new ActionError('The run has ended.'));
  }
}
