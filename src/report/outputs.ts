// The step outputs, from the run's record. Every output is declared in action.yml (a test checks).
import type { DeviceResult, RunReport } from '../record.ts';
import { isGone, isOff, resultOf } from './outcome.ts';

export function outputsOf(report: RunReport): Record<string, string> {
  const serials = (keep: (entry: DeviceResult) => boolean): string => JSON.stringify(report.devices.filter(keep).map((entry) => entry.device.serial));
  return {
    result: resultOf(report),
    'planned-devices': serials(() => true),
    'deactivated-devices': serials(isOff),
    'deleted-devices': serials(isGone),
    'remaining-devices': serials((entry) => !isOff(entry)),
    'step-up-used': String(report.stepUp !== undefined),
    ...approvalOutputs(report),
  };
}

function approvalOutputs({ approval }: RunReport): Record<string, string> {
  const pull = approval?.pullRequest;
  const approvals = !approval
    ? []
    : approval.mode === 'environment'
      ? approval.runApprovals.map(({ reviewer, state, environments, comment }) => ({
          reviewer: reviewer?.login ?? null,
          reviewerId: reviewer?.id ?? null,
          state,
          environments,
          comment,
        }))
      : approval.approvers.map(({ login, id, permission, at }) => ({
          reviewer: login,
          reviewerId: id,
          permission,
          submittedAt: at ?? null,
          state: 'approved',
          pullRequest: pull?.number,
          author: pull?.author?.login ?? null,
          commit: pull?.headSha,
        }));
  return { approvals: JSON.stringify(approvals), 'pull-request': pull ? String(pull.number) : '' };
}
