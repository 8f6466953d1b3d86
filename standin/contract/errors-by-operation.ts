// For every AWS operation the action calls: the error codes AWS's model declares for it, then the
// common errors any IAM or STS call may answer. Read from the models each time (aws-model.ts),
// never copied by hand, so a unit test can hold the action's error table to the model: a row for
// every code here, and the model's word on each code's HTTP status.
import { commonErrors, declaredErrors, loadModel } from './aws-model.ts';
import type { DeclaredError, ServiceName } from './aws-model.ts';

/** The calls the action makes, as `service:Operation`. */
export const ACTION_OPERATIONS = [
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetCallerIdentity',
  'sts:GetSessionToken',
  'iam:GetUser',
  'iam:ListUserTags',
  'iam:ListMFADevices',
  'iam:DeactivateMFADevice',
  'iam:DeleteVirtualMFADevice',
] as const;

export type ActionOperation = (typeof ACTION_OPERATIONS)[number];

export interface OperationErrors {
  /** Declared by the model for this operation (botocore's list, then what the SDK's newer model adds). */
  declared: DeclaredError[];
  /** Common to every call (AccessDenied, Throttling, InvalidClientTokenId, …). */
  common: DeclaredError[];
}

export function errorsOf(call: ActionOperation | `${ServiceName}:${string}`): OperationErrors {
  const [service, name] = call.split(':') as [ServiceName, string];
  return { declared: declaredErrors(loadModel(service), name), common: commonErrors() };
}

/** Every operation the action calls, with its errors. */
export function errorsByOperation(): Record<ActionOperation, OperationErrors> {
  return Object.fromEntries(ACTION_OPERATIONS.map((call) => [call, errorsOf(call)])) as Record<ActionOperation, OperationErrors>;
}

/** Just the codes, declared first: what a table of the action's error handling must cover. */
export function errorCodesByOperation(): Record<ActionOperation, string[]> {
  const all = errorsByOperation();
  return Object.fromEntries(
    ACTION_OPERATIONS.map((call) => [
      call,
      [...all[call].declared, ...all[call].common.filter((c) => !all[call].declared.some((d) => d.code === c.code))].map((e) => e.code),
    ]),
  ) as Record<ActionOperation, string[]>;
}
