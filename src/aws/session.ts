// The acting identity's IAM session. Every IAM call of the run goes through it. When AWS refuses one,
// the error table's row says what kind of refusal it is, and the session decides:
// - AWS's own MFA rule (a user changing their own MFA without MFA): step up, once, when it can;
// - a policy's deny, when the action acts with an IAM user's own keys and has a code: step up once,
//   since the policy may require MFA; if the deny survives the MFA session, MFA was not the cause;
// - a policy's deny to a role or other session: never step up (a role can never satisfy an MFA
//   condition); say which kind of policy denied and what that usually means.
// After a step-up, that call and every later one run with the MFA session. The session remembers
// the device lists it fetched, so stepping up as the target user lists nothing again.
import type { IAMClient } from '@aws-sdk/client-iam';
import { ActionError } from '../errors.ts';
import type { Deactivation, Deletion, MfaDevice, StepUp, TargetUser } from '../record.ts';
import { deactivateDevice, deleteVirtualDevice, listMfaDevices } from './devices.ts';
import type { ErrorRow } from './error-table.ts';
import { awsErrorRow, describeAwsError, explainAwsError, failedCall } from './errors.ts';
import { stepUp, StepUpError, type StepUpDeps, type StepUpPlan } from './step-up.ts';
import { getUser } from './user.ts';
import { readUserTag } from './user-tag.ts';

/** Why the action makes a call, for a refusal that a missing permission explains. */
const WHY_CALLED = {
  user:
    'The action reads the user (iam:GetUser) because mask-user-name is true (the default), to mask every spelling of the name: ' +
    'allow iam:GetUser on the users it may reset, or set mask-user-name: false.',
  userTag: "require-user-tag needs to read the user's tags: allow iam:ListUserTags on the user to the identity the action acts as.",
} as const;

export class IamSession {
  #iam: IAMClient;
  readonly #plan: StepUpPlan;
  readonly #deps: StepUpDeps;
  #stepUp: StepUp | undefined;
  /** Device lists by user name (IAM names ignore case), less the devices deactivated since. */
  readonly #listed = new Map<string, MfaDevice[]>();

  constructor(iam: IAMClient, plan: StepUpPlan, deps: StepUpDeps) {
    this.#iam = iam;
    this.#plan = plan;
    this.#deps = deps;
  }

  /** Who stepped up and with which device, once the session has. */
  get stepUp(): StepUp | undefined {
    return this.#stepUp;
  }

  user(userName: string): Promise<TargetUser> {
    return this.send((iam) => getUser(iam, userName), WHY_CALLED.user);
  }

  userTag(userName: string, key: string): Promise<string | undefined> {
    return this.send((iam) => readUserTag(iam, userName, key), WHY_CALLED.userTag);
  }

  async devicesOf(userName: string): Promise<MfaDevice[]> {
    const devices = await this.send((iam) => listMfaDevices(iam, userName));
    this.#listed.set(userName.toLowerCase(), [...devices]);
    return devices;
  }

  async deactivate(userName: string, serial: string): Promise<Deactivation> {
    const outcome = await this.send((iam) => deactivateDevice(iam, userName, serial));
    const listed = this.#listed.get(userName.toLowerCase());
    if (listed)
      this.#listed.set(
        userName.toLowerCase(),
        listed.filter((device) => device.serial !== serial),
      );
    return outcome;
  }

  deleteVirtual(serial: string): Promise<Deletion> {
    return this.send((iam) => deleteVirtualDevice(iam, serial));
  }

  /** Runs one call; on a refusal, steps up or says why not (see the top of this file). `why` explains a refusal for want of permission. */
  async send<T>(call: (iam: IAMClient) => Promise<T>, why?: string): Promise<T> {
    try {
      return await call(this.#iam);
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      if (this.#stepUp) throw new ActionError(deniedDespiteMfa(error, this.#stepUp), { cause: error });
      const { keys, keysArn, actingArn, code } = this.#plan;
      const ownKeys = keys !== undefined && keysArn === actingArn;
      // Only AWS's own MFA rule proves that MFA is wanted; a policy's deny is stepped up only by the identity it denied, which may satisfy an MFA condition.
      if (refusal.id !== 'mfa-required' && !ownKeys)
        throw new ActionError(deniedToSession(error, refusal, actingArn, code !== undefined, why), { cause: error });
      if (refusal.id !== 'mfa-required' && code === undefined) throw new ActionError(deniedWithoutCode(error, refusal, why), { cause: error });
      const { iam, ...steppedUp } = await stepUp(this.#plan, this.#deps, (name) => this.#listed.get(name.toLowerCase())).catch((failure: unknown) => {
        const reason = failure instanceof ActionError ? failure.message : `Stepping up failed: ${describeAwsError(failure)}`;
        throw new StepUpError(`${reason} (AWS's refusal: ${describeAwsError(error)})`, { cause: failure });
      });
      this.#iam = iam;
      this.#stepUp = steppedUp;
      this.#deps.log(`MFA session obtained as ${steppedUp.arn} with ${steppedUp.device.serial}; retrying with it.`);
      return this.send(call, why);
    }
  }
}

/** AWS's MFA rule or a policy's deny: the refusals stepping up might answer. */
function refusalOf(error: unknown): ErrorRow | undefined {
  const row = awsErrorRow(error);
  return row && (row.id === 'mfa-required' || row.deny !== undefined) ? row : undefined;
}

/** A missing permission, rather than a deny: then why the call is made says what to allow. */
const whyIfMissing = (row: ErrorRow, why: string | undefined): string => (why && row.deny?.explicit === false ? ` ${why}` : '');

/** A policy denied a role (or other session): stepping up is impossible, so it is never tried. */
function deniedToSession(error: unknown, row: ErrorRow, actingArn: string, codeGiven: boolean, why: string | undefined): string {
  return (
    `${explainAwsError(error)}${whyIfMissing(row, why)} The action is acting as ${actingArn}, which cannot step up: STS GetSessionToken accepts ` +
    `only an IAM user's long-term keys, never a role or other session, so it can never satisfy a condition on aws:MultiFactorAuthPresent ` +
    `(${codeGiven ? 'the code in mfa-token was not used' : 'an MFA code would not help'}). Where MFA is meant to be required, the reset is ` +
    'done by an IAM user acting with its own keys and a code in mfa-token.'
  );
}

/** A policy denied the IAM user whose keys act, and there is no code to try an MFA session with. */
function deniedWithoutCode(error: unknown, row: ErrorRow, why: string | undefined): string {
  return (
    `${explainAwsError(error)}${whyIfMissing(row, why)} If that policy requires MFA for this call (a condition on aws:MultiFactorAuthPresent, ` +
    "as in AWS's self-manage sample policy), dispatch the workflow again with a current code from the acting IAM user's MFA device " +
    'in mfa-token: the action then steps up once and retries. Otherwise no code will help.'
  );
}

/** The refusal survived an MFA session: MFA was not what AWS wanted. */
function deniedDespiteMfa(error: unknown, stepUp: StepUp): string {
  return (
    `AWS refused ${failedCall(error) ?? 'the call'} even with an MFA-authenticated session (${stepUp.arn}, stepped up with ` +
    `${stepUp.device.serial}), so MFA was not the cause of this refusal: ${explainAwsError(error)}`
  );
}
