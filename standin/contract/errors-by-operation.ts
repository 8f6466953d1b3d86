// For every AWS operation the action calls: the error codes AWS's model declares for it, then the
// common errors any IAM or STS call may answer. Read from the models each time (aws-model.ts),
// never copied by hand. (The list of calls repeats src/aws/error-kinds.ts's OPERATIONS: the
// stand-in never imports src/.)
import { allowedErrors, commonErrors, declaredErrors, loadModel } from './aws-model.ts';
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

interface OperationErrors {
  /** Declared by the model for this operation (botocore's list, then what the SDK's newer model adds). */
  declared: DeclaredError[];
  /** Common to every call (AccessDenied, Throttling, InvalidClientTokenId, …). */
  common: DeclaredError[];
}

export function errorsOf(call: ActionOperation | `${ServiceName}:${string}`): OperationErrors {
  const [service, name] = call.split(':') as [ServiceName, string];
  return { declared: declaredErrors(loadModel(service), name), common: commonErrors() };
}

/** Just the codes, declared first: what a table of the action's error handling must cover. */
export function errorCodesByOperation(): Record<ActionOperation, string[]> {
  return Object.fromEntries(
    ACTION_OPERATIONS.map((call) => {
      const [service, name] = call.split(':') as [ServiceName, string];
      return [call, allowedErrors(loadModel(service), name).map((error) => error.code)];
    }),
  ) as Record<ActionOperation, string[]>;
}
