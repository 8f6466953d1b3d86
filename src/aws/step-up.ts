// Stepping up to an MFA-authenticated session when AWS refuses a change without one.
// Only an IAM user's long-term keys can do this (GetSessionToken refuses session credentials),
// and the code is single-use: GetSessionToken is sent once, with the SDK's retries off.
import type { IAMClient } from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { ActionError } from '../errors.ts';
import type { MfaDevice, StepUp } from '../record.ts';
import type { AwsConnector, Credentials } from './clients.ts';
import { callerArn, sessionCredentials } from './credentials.ts';
import { chooseStepUpDevice, listMfaDevices } from './devices.ts';
import { awsAnswered, awsErrorRow, describeAwsError, explainAwsError } from './errors.ts';

export interface StepUpPlan {
  /** The IAM user's long-term keys, if the action holds any. */
  keys: Credentials | undefined;
  /** Whose keys they are, if already known. */
  keysArn: string | undefined;
  /** Who was refused: named when there are no keys to step up with. */
  actingArn: string;
  code: string | undefined;
  stepUpSerial: string | undefined;
}

export interface StepUpDeps {
  aws: AwsConnector;
  mask: (secret: string) => void;
  log: (message: string) => void;
}

/** The devices this run has listed for a user (by name, any case), less those it has removed since. */
export type KnownDevices = (userName: string) => readonly MfaDevice[] | undefined;

// GetSessionToken's shortest session: the action needs a few seconds of it.
const SESSION_SECONDS = 900;

/** A change AWS refused for want of MFA, and why stepping up to an MFA session did not work. */
export class StepUpError extends ActionError {
  override readonly name = 'StepUpError';
}

/** Gets an MFA session with the plan's keys and code, once; throws an ActionError saying what is missing. */
export async function stepUp(plan: StepUpPlan, deps: StepUpDeps, listed: KnownDevices): Promise<StepUp & { iam: IAMClient }> {
  const { keys, code } = plan;
  if (!keys) throw new ActionError(cannotStepUpWithoutKeys(plan.actingArn));
  if (!code) {
    throw new ActionError(
      'AWS requires an MFA-authenticated session for this change. Dispatch the workflow again with a current ' +
        "six-digit code from the acting IAM user's MFA device in mfa-token.",
    );
  }
  deps.log('AWS requires an MFA-authenticated session for this change: stepping up with GetSessionToken.');
  // Know the caller and its device before spending the code.
  const known = plan.keysArn === undefined ? undefined : ownDevicesIfTarget(plan.keysArn, listed);
  const [arn, devices] = await Promise.all([plan.keysArn ?? callerArn(deps.aws.sts(keys), undefined), known ?? listMfaDevices(deps.aws.iam(keys))]);
  const device = chooseStepUpDevice(devices, plan.stepUpSerial);
  const credentials = await getMfaSession(deps.aws, keys, device.serial, code, deps.mask);
  return { iam: deps.aws.iam(credentials), arn, device };
}

const USER_ARN = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:[^/]*\/)*([^/]+)$/;

/**
 * The caller's own devices, when the run already knows them because the target user is the caller.
 * IAM user names are unique regardless of case, and an IAM user's ARN ends with its name.
 */
export function ownDevicesIfTarget(callerArn: string, known: KnownDevices): readonly MfaDevice[] | undefined {
  const callerName = USER_ARN.exec(callerArn)?.[1];
  return callerName === undefined ? undefined : known(callerName);
}

async function getMfaSession(aws: AwsConnector, keys: Credentials, serial: string, code: string, mask: (s: string) => void): Promise<Credentials> {
  try {
    const response = await aws
      .sts(keys, { retries: false })
      .send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code, DurationSeconds: SESSION_SECONDS }));
    return sessionCredentials(response.Credentials, mask);
  } catch (error) {
    throw new ActionError(getSessionTokenFailure(error, serial), { cause: error });
  }
}

function cannotStepUpWithoutKeys(actingArn: string): string {
  return (
    `AWS refused the change without an MFA-authenticated session, and the action is acting as ${actingArn}, ` +
    "which cannot step up: STS GetSessionToken accepts only an IAM user's long-term keys, never a role or other session. " +
    "This is AWS's own rule for a user changing their own MFA: act as that IAM user, with its own keys in aws-access-key-id " +
    'and aws-secret-access-key and a current code in mfa-token, or have an administrator reset it through a role.'
  );
}

export function getSessionTokenFailure(error: unknown, serial: string): string {
  const row = awsErrorRow(error);
  switch (row?.id) {
    case 'invalid-mfa-code':
      return (
        'AWS rejected the MFA code: it was wrong, expired (a code lasts about 30 seconds) or already used. ' +
        'The code is never sent twice; dispatch the workflow again with a fresh code.'
      );
    case 'mfa-serial-not-callers':
      return `AWS could not check the code against ${serial}: it must be a TOTP device of the IAM user whose keys are acting. Check step-up-serial-number.`;
    case 'session-credentials':
      return "GetSessionToken refused temporary credentials: aws-access-key-id and aws-secret-access-key must be an IAM user's long-term keys.";
    default:
      if (row?.action === 'retry' || !awsAnswered(error)) {
        return (
          `GetSessionToken did not complete (${describeAwsError(error)}). It is not retried, because the code may already be spent; ` +
          'dispatch the workflow again with a fresh code.'
        );
      }
      return `GetSessionToken failed: ${explainAwsError(error)}`;
  }
}
