// What the run's record comes to: the result, each device's outcome in words. Pure.
import type { DeviceResult, RunReport } from '../record.ts';
import { count } from '../text.ts';

export type Result = 'deactivated' | 'nothing-to-do' | 'dry-run' | 'failed';

export function resultOf(report: RunReport): Result {
  if (report.error !== undefined) return 'failed';
  // Devices enabled after the approval are reported, not acted on: with only those, there was nothing to do.
  if (report.devices.every((entry) => entry.deactivation === 'not-approved')) return 'nothing-to-do';
  return report.dryRun ? 'dry-run' : 'deactivated';
}

/** The device is off: deactivated by this run, or found already removed. */
export const isOff = (entry: DeviceResult): boolean => entry.deactivation === 'deactivated' || entry.deactivation === 'already-removed';
export const isGone = (entry: DeviceResult): boolean => entry.deletion === 'deleted' || entry.deletion === 'already-deleted';

export function deviceOutcome(entry: DeviceResult, dryRun: boolean): string {
  const problem = entry.problem ? `: ${entry.problem}` : '';
  switch (entry.deactivation) {
    case 'failed':
    case 'not-approved':
      return `not deactivated${problem}`;
    case 'unknown':
      return `outcome unknown, AWS gave no answer${problem}`;
    case undefined:
      return dryRun ? 'would be deactivated (dry run)' : 'not deactivated: not attempted, the run stopped first';
    case 'already-removed':
    case 'deactivated': {
      const what = entry.deactivation === 'deactivated' ? 'deactivated' : 'already removed by someone else';
      if (entry.deletion === 'deleted') return `${what}, and deleted`;
      if (entry.deletion === 'already-deleted') return `${what}; already deleted`;
      if (entry.deletion === 'failed') return `${what}; not deleted${problem}`;
      if (entry.deletion === 'unknown') return `${what}; deletion outcome unknown, AWS gave no answer${problem}`;
      return what;
    }
  }
}

/** A backoff as the summary shows it: "0.8 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function headline(report: RunReport): string {
  switch (resultOf(report)) {
    case 'failed':
      return 'IAM MFA deactivation failed';
    case 'nothing-to-do':
      return 'IAM MFA: nothing to deactivate';
    case 'dry-run':
      return `IAM MFA dry run: ${count(report.devices.length, 'device')} would be deactivated`;
    case 'deactivated':
      return `IAM MFA: deactivated ${count(report.devices.filter(isOff).length, 'device')}`;
  }
}

/** Notes under the device table: leftovers, what a rerun finishes, what is uncertain. */
export function summaryNotes(report: RunReport): string[] {
  const notes: string[] = [];
  const leftovers = report.devices.filter((entry) => entry.device.kind === 'virtual' && isOff(entry) && !isGone(entry));
  if (leftovers.length > 0 && !report.dryRun) {
    notes.push(
      `${leftovers.length === 1 ? 'One deactivated virtual device remains' : `${leftovers.length} deactivated virtual devices remain`} in the account, unassigned: ` +
        'creating a new one with the same name fails (EntityAlreadyExists) until it is deleted. Set delete-virtual-devices: true to delete them.',
    );
  }
  if (report.error !== undefined && report.devices.some((entry) => !isOff(entry))) {
    notes.push(
      'Devices marked "not deactivated" are still active. Running the workflow again finishes the job: devices already deactivated are no longer listed.',
    );
  }
  const absorbed = report.retried.filter((call) => call.attempts.at(-1) === 'ok');
  if (absorbed.length > 0) {
    notes.push(
      `AWS answered ${count(absorbed.length, 'call')} with a temporary fault that a retry absorbed: ` +
        `${absorbed.map((call) => `${call.call} (${call.attempts.slice(0, -1).join(', ')}; ok on attempt ${call.attempts.length})`).join('; ')}. See the audit trail.`,
    );
  }
  if (report.devices.some((entry) => entry.deactivation === 'unknown' || entry.deletion === 'unknown')) {
    notes.push(
      'A device marked "outcome unknown" got no answer from AWS, which may or may not have acted on it; it is counted as remaining. Running the workflow again settles it.',
    );
  }
  return notes;
}
