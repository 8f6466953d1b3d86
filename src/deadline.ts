// The run's time limit (`timeout-seconds`). Every outside call is raced against it, so no endpoint
// can hold the run past it: not one that never answers, nor one that answers a byte a minute
// (which defeats any idle timeout), nor a client that retries on its own (the OIDC fetch).
import { ActionError } from './errors.ts';

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
  readonly seconds: number;
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(seconds: number) {
    this.seconds = seconds;
    this.#timer = setTimeout(() => this.#controller.abort(new RunTimeoutError('the run', seconds)), seconds * 1000);
    // The limit must never be what keeps the process alive.
    this.#timer.unref();
  }

  /** Aborts when the run's time is up (or the run has ended): pass it to every request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Waits for one outside call, and gives up on it once the run's time is up, even if the call
   * ignores the signal it is given. `call` names it in the error, e.g. "iam:ListMFADevices".
   */
  async race<T>(call: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { signal } = this;
    if (signal.aborted) throw new RunTimeoutError(call, this.seconds);
    let onAbort = (): void => {};
    const expired = new Promise<never>((_, reject) => {
      onAbort = () => reject(new RunTimeoutError(call, this.seconds));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work(signal), expired]);
    } catch (error) {
      // An abort the call noticed first (the SDK's AbortError) is still this deadline's doing.
      if (signal.aborted && !(error instanceof RunTimeoutError)) throw new RunTimeoutError(call, this.seconds);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The run is over: abort whatever is still in flight so nothing holds the process open. */
  end(): void {
    clearTimeout(this.#timer);
    if (!this.#controller.signal.aborted) this.#controller.abort(new ActionError('The run has ended.'));
  }
}
