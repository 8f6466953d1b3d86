// What an auditor needs from the AWS calls: the request id of every change, which CloudTrail
// records as the event's requestID, and every call the SDK had to send more than once (what each
// attempt met). Noted as the calls go, so a failed run reports them too.
import type { DeserializeMiddleware, InitializeMiddleware, MetadataBearer, Pluggable } from '@smithy/types';
import type { AwsChange, RetriedCall } from '../record.ts';
import type { AwsConnector } from './clients.ts';
import { CHANGES } from './error-kinds.ts';
import { awsErrorCode, callName } from './errors.ts';

interface ResponseMetadataShape {
  $metadata?: { requestId?: string; attempts?: number; totalRetryDelay?: number };
}

interface Recorder {
  changes: AwsChange[];
  retried: RetriedCall[];
  /** Each call's attempts so far, by the SDK's context object of that call. */
  attempts: WeakMap<object, string[]>;
}

/**
 * The same connector, whose clients note every change they send (operation, device, request id,
 * outcome, attempts) and every call that took more than one attempt. The note is taken around the
 * SDK's retries, so it is the attempt that counted; a second note, inside them, sees each attempt.
 */
export function recordingChanges(aws: AwsConnector): { aws: AwsConnector; changes: () => readonly AwsChange[]; retried: () => readonly RetriedCall[] } {
  const recorder: Recorder = { changes: [], retried: [], attempts: new WeakMap() };
  // The SDK's plugin form: one set of middleware, applied to either client's stack.
  const recordingOf = (service: 'iam' | 'sts'): Pluggable<object, MetadataBearer> => ({
    applyToStack: (stack) => {
      stack.add(aroundRetries(service, recorder), AROUND_RETRIES);
      stack.add(eachAttempt(recorder), EACH_ATTEMPT);
    },
  });
  const recording: AwsConnector = {
    iam: (credentials) => {
      const client = aws.iam(credentials);
      client.middlewareStack.use(recordingOf('iam'));
      return client;
    },
    sts: (credentials, options) => {
      const client = aws.sts(credentials, options);
      client.middlewareStack.use(recordingOf('sts'));
      return client;
    },
  };
  return { aws: recording, changes: () => recorder.changes, retried: () => recorder.retried };
}

const AROUND_RETRIES = { step: 'initialize', name: 'recordAwsCalls' } as const;
const EACH_ATTEMPT = { step: 'deserialize', name: 'recordAwsAttempts', priority: 'high' } as const;

/** Around the SDK's retries: the call's outcome, the change it made, and its attempts if there were several. */
function aroundRetries(service: 'iam' | 'sts', recorder: Recorder): InitializeMiddleware<object, MetadataBearer> {
  return (next, context) => async (args) => {
    const call = callName(service, context.commandName);
    const change = (CHANGES as readonly string[]).includes(call);
    const serial = String((args.input as { SerialNumber?: unknown }).SerialNumber ?? '');
    const attempts: string[] = [];
    recorder.attempts.set(context, attempts);
    const note = (result: ResponseMetadataShape | undefined, outcome: string): void => {
      const metadata = result?.$metadata;
      if (change)
        recorder.changes.push({
          operation: call.slice(service.length + 1),
          serial,
          requestId: metadata?.requestId,
          outcome,
          attempts: metadata?.attempts ?? attempts.length,
        });
      if (attempts.length > 1) recorder.retried.push({ call, serial: change ? serial : '', attempts, waitedMs: metadata?.totalRetryDelay ?? 0 });
    };
    try {
      const result = await next(args);
      note(result.output as ResponseMetadataShape, 'ok');
      return result;
    } catch (error) {
      note(error as ResponseMetadataShape | undefined, awsErrorCode(error) || 'error');
      throw error;
    }
  };
}

/** Inside the SDK's retries: what each attempt met. */
function eachAttempt(recorder: Recorder): DeserializeMiddleware<object, MetadataBearer> {
  return (next, context) => async (args) => {
    const attempts = recorder.attempts.get(context);
    try {
      const result = await next(args);
      attempts?.push('ok');
      return result;
    } catch (error) {
      attempts?.push(awsErrorCode(error) || 'error');
      throw error;
    }
  };
}
