// What an auditor needs besides the devices: who approved and why, who asked, which action version
// ran under which role session name, and the AWS request id of every change, which CloudTrail
// records as the event's requestID. Filled in as the run goes, reported also when it fails.
import type { AwsConnector } from './aws.ts';
import type { ApprovalRecord } from './approval-gate.ts';
import type { ResetRequest } from './request-file.ts';
import type { UserTagCheck } from './user-tag.ts';

/** One call that changed (or tried to change) the account. */
export interface AwsChange {
  operation: string;
  serial: string;
  requestId: string | undefined;
  /** 'ok', or the error AWS answered with. */
  outcome: string;
}

export interface AuditRecord {
  version: string;
  approval: ApprovalRecord | undefined;
  request: ResetRequest | undefined;
  userTag: UserTagCheck | undefined;
  /** The role session name sent to STS, and who chose it; undefined when no role was assumed. */
  sessionName: { name: string; from: 'default' | 'workflow' } | undefined;
  changes: AwsChange[];
}

export function newAuditRecord(version: string): AuditRecord {
  return { version, approval: undefined, request: undefined, userTag: undefined, sessionName: undefined, changes: [] };
}

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
export function recordingChanges(aws: AwsConnector, changes: AwsChange[]): AwsConnector {
  return {
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
}
