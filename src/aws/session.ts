// The acting identity's IAM session. Every IAM call of the run goes through it; when AWS refuses one
// for want of MFA, it steps up once (step-up.ts) and runs that call, and every later one, with the
// MFA session. It remembers the device lists it fetched, so stepping up as the target user lists nothing again.
import type { IAMClient } from '@aws-sdk/client-iam';
import { ActionError } from '../errors.ts';
import type { Deactivation, Deletion, MfaDevice, StepUp, TargetUser } from '../record.ts';
import { deactivateDevice, deleteVirtualDevice, listMfaDevices } from './devices.ts';
import { classifyAwsError, describeAwsError } from './errors.ts';
import { stepUp, StepUpError, type StepUpDeps, type StepUpPlan } from './step-up.ts';
import { getUser } from './user.ts';
import { readUserTag } from './user-tag.ts';

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
    return this.send((iam) => getUser(iam, userName));
  }

  userTag(userName: string, key: string): Promise<string | undefined> {
    return this.send((iam) => readUserTag(iam, userName, key));
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

  async send<T>(call: (iam: IAMClient) => Promise<T>): Promise<T> {
    try {
      return await call(this.#iam);
    } catch (error) {
      if (classifyAwsError(error) !== 'mfa-required') throw error;
      if (this.#stepUp) {
        throw new ActionError(`AWS refused the change even with an MFA-authenticated session: ${describeAwsError(error)}`, { cause: error });
      }
      const { iam, ...steppedUp } = await stepUp(this.#plan, this.#deps, (name) => this.#listed.get(name.toLowerCase())).catch((failure: unknown) => {
        const why = failure instanceof ActionError ? failure.message : `Stepping up failed: ${describeAwsError(failure)}`;
        throw new StepUpError(`${why} (AWS's refusal: ${describeAwsError(error)})`, { cause: failure });
      });
      this.#iam = iam;
      this.#stepUp = steppedUp;
      this.#deps.log(`MFA session obtained as ${steppedUp.arn} with ${steppedUp.device.serial}; retrying with it.`);
      return this.send(call);
    }
  }
}
