// Deactivating (and optionally deleting) the chosen devices, one at a time, each with its own
// outcome: a run that stops part-way reports exactly what it did, and a rerun finishes the job.
import { ActionError } from '../errors.ts';
import type { DeviceResult, MfaDevice } from '../record.ts';
import { RunTimeoutError } from '../runner/deadline.ts';
import { awsAnswered, describeAwsError } from './errors.ts';
import type { IamSession } from './session.ts';
import { StepUpError } from './step-up.ts';

export interface Reset {
  devices: DeviceResult[];
  /** Why the run stopped part-way, if it did. */
  failure: unknown;
}

export function planned(devices: readonly MfaDevice[]): DeviceResult[] {
  return devices.map((device) => ({ device, deactivation: undefined, deletion: undefined, problem: undefined }));
}

/** Deactivates each device, then deletes the virtual ones when asked; stops at the first failure. */
export async function resetDevices(
  session: IamSession,
  userName: string,
  devices: readonly DeviceResult[],
  deleteVirtual: boolean,
  log: (line: string) => void,
): Promise<Reset> {
  const results = devices.map((entry) => ({ ...entry }));
  // A device enabled after the approval is not the approval's to touch.
  const approved = results.filter((e) => e.deactivation !== 'not-approved');
  try {
    for (const entry of approved) {
      entry.deactivation = await attempt(entry, 'deactivation', () => session.deactivate(userName, entry.device.serial));
      log(`Device ${entry.device.serial}: ${entry.deactivation}.`);
    }
    for (const entry of deleteVirtual ? approved.filter((e) => e.device.kind === 'virtual') : []) {
      entry.deletion = await attempt(entry, 'deletion', () => session.deleteVirtual(entry.device.serial));
      log(`Device ${entry.device.serial}: ${entry.deletion}.`);
    }
    return { devices: results, failure: undefined };
  } catch (failure) {
    return { devices: results, failure };
  }
}

/** One call on one device; on failure, notes on the device why, and rethrows. */
async function attempt<Done extends string>(entry: DeviceResult, step: 'deactivation' | 'deletion', work: () => Promise<Done>): Promise<Done> {
  try {
    return await work();
  } catch (error) {
    entry[step] = gotNoAnswer(error) ? 'unknown' : 'failed';
    entry.problem = deviceProblem(error);
    throw error;
  }
}

/** A call that timed out or lost its connection may have taken effect: its outcome is unknown. */
function gotNoAnswer(error: unknown): boolean {
  return error instanceof RunTimeoutError || (!(error instanceof ActionError) && !awsAnswered(error));
}

/** Why one device was not done, for its row; the full explanation heads the summary. */
function deviceProblem(error: unknown): string {
  if (error instanceof StepUpError) return 'AWS requires an MFA-authenticated session, and stepping up failed (see above).';
  return error instanceof ActionError ? error.message : describeAwsError(error);
}
