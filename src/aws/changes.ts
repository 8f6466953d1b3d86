// The AWS request id of every change, which CloudTrail records as the event's requestID: what an
// auditor needs to find each change. Noted as the calls go, so a failed run reports them too.
import type { AwsChange } from '../record.ts';
import type { AwsConnector } from './clients.ts';

/** The IAM operations that change the account; their request ids go into the record. */
const CHANGES = new Set(['DeactivateMFADeviceCommand', 'DeleteVirtualMFADeviceCommand']);

interface ResponseMetadataShape {
  $metadata?: { requestId?: string };
  name?: unknown;
}

/**
 * The same connector, whose IAM clients note every change they send: operation, device, request id
 * and outcome. The note is taken around the SDK's retries, so it is the attempt that counted.
 */
export function recordingChanges(aws: AwsConnector): { aws: AwsConnector; changes: () => readonly AwsChange[] } {
  const changes: AwsChange[] = [];
  const recording: AwsConnector = {
    sts: aws.sts,
    iam: (credentials) => {
      const client = aws.iam(credentials);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const operation = context.commandName ?? '';
          if (!CHANGES.has(operation)) return next(args);
          const serial = String((args.input as { SerialNumber?: unknown }).SerialNumber ?? '');
          const note = (requestId: string | undefined, outcome: string): void => {
            changes.push({ operation: operation.replace(/Command$/, ''), serial, requestId, outcome });
          };
          try {
            const result = await next(args);
            note((result.output as ResponseMetadataShape).$metadata?.requestId, 'ok');
            return result;
          } catch (error) {
            const e = (error ?? {}) as ResponseMetadataShape;
            note(e.$metadata?.requestId, typeof e.name === 'string' ? e.name : 'error');
            throw error;
          }
        },
        { step: 'initialize', name: 'recordAwsChanges' },
      );
      return client;
    },
  };
  return { aws: recording, changes: () => changes };
}
