// Faults on demand, per Action and count, so tests can drive the SDK's retry paths and the
// action's "never resend a code" rule.
export type FaultKind =
  | 'throttle' // answer Throttling, 400 "Rate exceeded", without processing
  | 'service-failure' // answer ServiceFailure, 500, without processing
  | 'reset' // destroy the connection without processing or answering
  | 'slow' // wait delayMs, then process and answer normally
  | 'lose-response'; // process the call, then destroy the connection instead of answering

export interface FaultSpec {
  /** The Query Action (e.g. 'DeactivateMFADevice'), or '*' for any. */
  action: string;
  kind: FaultKind;
  /** How many matching requests it hits (default 1). */
  times?: number;
  /** For 'slow' (default 1000). */
  delayMs?: number;
}

interface PendingFault {
  action: string;
  kind: FaultKind;
  remaining: number;
  delayMs: number;
}

export class Faults {
  private readonly pending: PendingFault[] = [];

  inject(spec: FaultSpec): void {
    this.pending.push({ action: spec.action, kind: spec.kind, remaining: spec.times ?? 1, delayMs: spec.delayMs ?? 1000 });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The first pending fault for `action`, used up by one; faults apply in the order injected. */
  take(action: string): { kind: FaultKind; delayMs: number } | undefined {
    const index = this.pending.findIndex((fault) => fault.action === action || fault.action === '*');
    const fault = this.pending[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.splice(index, 1);
    return { kind: fault.kind, delayMs: fault.delayMs };
  }
}
