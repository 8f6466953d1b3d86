// The one place AWS clients are made, so every other module takes them as parameters, and every
// request they send is bounded: per attempt by the HTTP handler's timeouts, and in all by the
// run's deadline. Their retry strategy (retry.ts) retries what the error table says is temporary.
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';
import type { Deadline } from '../runner/deadline.ts';
import { callName, nameFailedCall } from './errors.ts';
import { MAX_ATTEMPTS, TableRetryStrategy } from './retry.ts';

/** Credentials held in memory; never exported, written or logged. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface AwsConnector {
  /** IAM as these credentials; undefined means the SDK's default chain. */
  iam(credentials?: Credentials): IAMClient;
  /**
   * STS as these credentials. `retries: false` is for the one call that carries an MFA code:
   * a resent GetSessionToken would spend the code twice.
   */
  sts(credentials?: Credentials, options?: { retries: boolean }): STSClient;
}

/**
 * Per-attempt limits. IAM and STS answer in well under a second; an attempt gets at most 10 s,
 * and never more than a fifth of the run's time, so all five attempts at a call that gets no
 * answer fit in the run. Connecting gets at most 5 s of that.
 */
export function attemptTimeouts(runSeconds: number): { connectionTimeout: number; requestTimeout: number } {
  const requestTimeout = Math.min(10_000, Math.floor((runSeconds * 1000) / MAX_ATTEMPTS));
  return { connectionTimeout: Math.min(5_000, requestTimeout), requestTimeout };
}

/** The SDK's Node handler, with every request it sends tied to the run's deadline. */
class BoundedHttpHandler extends NodeHttpHandler {
  readonly #signal: AbortSignal;
  constructor(options: NodeHttpHandlerOptions, signal: AbortSignal) {
    super(options);
    this.#signal = signal;
  }
  // No call site can forget the run's signal: the handler adds it to every request.
  override handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    return super.handle(request, { ...options, abortSignal: this.#signal });
  }
}

/**
 * Races every call of a client (its retries and credential resolution included) against the run's
 * deadline, and names the call in any error it ends with, e.g. "iam:DeactivateMFADevice".
 */
function deadlineMiddleware(service: 'iam' | 'sts', deadline: Deadline): InitializeMiddleware<object, MetadataBearer> {
  return (next, context) => async (args) => {
    const call = callName(service, context.commandName);
    try {
      return await deadline.race(call, () => next(args));
    } catch (error) {
      throw nameFailedCall(error, call);
    }
  };
}

const MIDDLEWARE = { step: 'initialize', name: 'runDeadline', priority: 'high' } as const;

/** The retry settings of a client: the table's strategy, bounded by the run's deadline; one attempt when retries are off. */
export function retrySettings(deadline: Pick<Deadline, 'remainingMs'>, retries = true): { maxAttempts: number; retryStrategy: TableRetryStrategy } {
  const maxAttempts = retries ? MAX_ATTEMPTS : 1;
  return { maxAttempts, retryStrategy: new TableRetryStrategy({ maxAttempts, remainingMs: () => deadline.remainingMs() }) };
}

/** `endpoint` replaces AWS's for both services (the tests' local stand-in); unset, the SDK resolves it. */
export function awsConnector(region: string, deadline: Deadline, endpoint?: string): AwsConnector {
  const target = { region, ...(endpoint !== undefined && { endpoint }) };
  const requestHandler = (): NodeHttpHandler => new BoundedHttpHandler({ ...attemptTimeouts(deadline.seconds), throwOnRequestTimeout: true }, deadline.signal);
  return {
    // IAM is global within a partition: the SDK resolves the partition's endpoint from the region.
    iam: (credentials) => {
      const client = new IAMClient({ ...target, ...retrySettings(deadline), requestHandler: requestHandler(), ...(credentials && { credentials }) });
      client.middlewareStack.add(deadlineMiddleware('iam', deadline), MIDDLEWARE);
      return client;
    },
    sts: (credentials, options = { retries: true }) => {
      const client = new STSClient({
        ...target,
        ...retrySettings(deadline, options.retries),
        requestHandler: requestHandler(),
        ...(credentials && { credentials }),
      });
      client.middlewareStack.add(deadlineMiddleware('sts', deadline), MIDDLEWARE);
      return client;
    },
  };
}
