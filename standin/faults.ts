// Faults on demand, per Action and count, so tests can drive the SDK's retry paths, the run's
// time limit, and the action's "never resend a code" rule. The OIDC token endpoint takes them
// too, under the action name 'GetIDToken'. `times` is how often: 1 (default), N, or Infinity
// for always; `after` lets that many matching requests through first.
//
// The named refusals answer as the real service does, without processing (refusals.ts has their
// codes and words); each is declared for the operations named, so inject them only there:
//   'temporarily-unmodifiable'  IAM EntityTemporarilyUnmodifiable, 409 (DeactivateMFADevice, EnableMFADevice)
//   'concurrent-modification'   IAM ConcurrentModification, 409 (DeactivateMFADevice, DeleteVirtualMFADevice, …)
//   'idp-key-unavailable'       STS InvalidIdentityToken "Couldn't retrieve verification key from your
//                               identity provider, …", 400: temporary, as STS sometimes answers for
//                               GitHub's issuer (AssumeRoleWithWebIdentity)
//   'idp-communication-error'   STS IDPCommunicationError, 400: temporary (AssumeRoleWithWebIdentity)
//   'expired-web-identity-token' STS ExpiredTokenException, 400, as for a token past its exp (AssumeRoleWithWebIdentity)
//   'region-disabled'           STS RegionDisabledException, 403 (AssumeRoleWithWebIdentity, GetSessionToken)
export type FaultKind =
  | 'throttle' // answer Throttling, 400 "Rate exceeded", without processing
  | 'service-failure' // answer ServiceFailure (IAM) or InternalFailure (STS), 500, without processing
  | 'temporarily-unmodifiable'
  | 'concurrent-modification'
  | 'idp-key-unavailable'
  | 'idp-communication-error'
  | 'expired-web-identity-token'
  | 'region-disabled'
  | 'reset' // destroy the connection without processing or answering
  | 'slow' // wait delayMs, then process and answer normally
  | 'lose-response' // process the call, then destroy the connection instead of answering
  | 'black-hole' // accept the request, never process or answer it (until the server closes)
  | 'drip' // process the call, then send the answer one byte every delayMs
  | 'repeat-marker' // ListMFADevices: process, then answer IsTruncated with the Marker just received (or a fixed one)
  | 'error' // answer `error` (code, status, message) without processing: e.g. a hostile message
  | 'hold'; // wait until `until` settles, then process and answer normally

export interface FaultError {
  code: string;
  status: number;
  message: string;
}

export interface FaultSpec {
  /** The Query Action (e.g. 'DeactivateMFADevice'), 'GetIDToken' for the OIDC endpoint, or '*' for any. */
  action: string;
  kind: FaultKind;
  /** How many matching requests it hits (default 1; Infinity: every one). */
  times?: number;
  /** How many matching requests it lets through untouched first (default 0). */
  after?: number;
  /** For 'slow' (default 1000) and 'drip' (the interval between bytes, default 1000). */
  delayMs?: number;
  /** For 'error'. */
  error?: FaultError;
  /** For 'hold'. */
  until?: Promise<unknown>;
  /** Called when the fault hits a request (before it acts), e.g. to know a request is being held. */
  onHit?: () => void;
}

export interface TakenFault {
  kind: FaultKind;
  delayMs: number;
  error: FaultError | undefined;
  until: Promise<unknown> | undefined;
}

interface Pending<Spec> {
  spec: Spec;
  target: string;
  skip: number;
  remaining: number;
}

/**
 * Faults in the order injected, each for one name or '*': it lets `after` matching requests
 * through, then hits `times` of them (Infinity: every one). Shared by the AWS and GitHub sides.
 */
export class FaultQueue<Spec> {
  readonly #pending: Pending<Spec>[] = [];

  add(spec: Spec, target: string, times: number, after: number): void {
    this.#pending.push({ spec, target, skip: after, remaining: times });
  }

  clear(): void {
    this.#pending.length = 0;
  }

  /**
   * The first pending fault for `name` that is not still letting requests through, used up by one.
   * Every fault still letting requests through counts this one.
   */
  take(name: string): Spec | undefined {
    let hit: Pending<Spec> | undefined;
    for (const fault of this.#pending) {
      if (fault.target !== name && fault.target !== '*') continue;
      if (fault.skip > 0) fault.skip -= 1;
      else hit ??= fault;
    }
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.#pending.splice(this.#pending.indexOf(hit), 1);
    return hit.spec;
  }
}

export class Faults {
  readonly #queue = new FaultQueue<FaultSpec>();

  inject(spec: FaultSpec): void {
    this.#queue.add(spec, spec.action, spec.times ?? 1, spec.after ?? 0);
  }

  clear(): void {
    this.#queue.clear();
  }

  /** The first pending fault for `action` (FaultQueue.take), used up by one. */
  take(action: string): TakenFault | undefined {
    const spec = this.#queue.take(action);
    if (!spec) return undefined;
    spec.onHit?.();
    const { kind, delayMs = 1000, error, until } = spec;
    return { kind, delayMs, error, until };
  }
}
