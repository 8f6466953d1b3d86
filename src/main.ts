// The action's flow: validate, act as the right identity, list, deactivate (stepping up when AWS
// demands MFA), optionally delete, and report, also when a step fails.
import * as core from '@actions/core';
import { context } from './github-context.ts';
import { type AwsConnector, awsConnector } from './aws.ts';
import { resolveActingIdentity } from './credentials.ts';
import { ActionError, describeAwsError } from './errors.ts';
import { readSettings, type RunIdentity, type Settings } from './inputs.ts';
import { deactivateDevice, deleteVirtualDevice, listMfaDevices, type MfaDevice, selectDevices } from './mfa.ts';
import { composeSummary, type DeviceRecord, newRecord, outputsOf, type RunContext, type RunRecord } from './report.ts';
import { IamSession, StepUpError } from './step-up.ts';

export interface Deps {
  connect: (region: string) => AwsConnector;
  getIdToken: (audience: string) => Promise<string>;
}

const runnerDeps: Deps = { connect: awsConnector, getIdToken: (audience) => core.getIDToken(audience) };

export async function run(deps: Deps = runnerDeps): Promise<void> {
  const record = newRecord();
  // Everything the runner masks is also kept out of the summary the action writes itself.
  const mask = (secret: string): void => {
    core.setSecret(secret);
    record.masked.push(secret);
  };
  try {
    const settings = readSettings({ get: (name) => core.getInput(name), mask }, runIdentity());
    record.userName = settings.userName;
    record.dryRun = settings.dryRun;
    const session = await actingSession(settings, record, deps, mask);
    try {
      await planDevices(settings, record, session);
      if (record.devices.length > 0 && !settings.dryRun) await deactivateAndDelete(settings, record, session);
    } finally {
      const { steppedUp } = session;
      if (steppedUp) record.stepUp = { arn: steppedUp.arn, device: steppedUp.device.serial };
    }
  } catch (error) {
    record.error = error instanceof ActionError ? error.message : describeAwsError(error);
  }
  for (const [name, value] of Object.entries(outputsOf(record))) core.setOutput(name, value);
  await composeSummary(core.summary, record, runContext()).write();
  if (record.error !== undefined) core.setFailed(`deactivate-iam-mfa: ${record.error}`);
}

async function actingSession(settings: Settings, record: RunRecord, deps: Deps, mask: (secret: string) => void): Promise<IamSession> {
  const aws = deps.connect(settings.region);
  const acting = await resolveActingIdentity(settings, { aws, getIdToken: deps.getIdToken, mask });
  record.acting = { source: acting.source, arn: acting.arn };
  core.info(`Acting as ${acting.arn}.`);
  return new IamSession(
    aws.iam(acting.credentials),
    { keys: acting.stepUpKeys, keysArn: acting.stepUpArn, actingArn: acting.arn, code: settings.mfaToken, stepUpSerial: settings.stepUpSerialNumber },
    { aws, mask, log: core.info },
  );
}

async function planDevices(settings: Settings, record: RunRecord, session: IamSession): Promise<void> {
  const listed = await session.send((iam) => listMfaDevices(iam, settings.userName));
  session.targetDevices = { userName: settings.userName, devices: () => listed.filter((device) => !deactivatedThisRun(record, device)) };
  const devices = selectDevices(listed, settings.serialNumber);
  record.devices = devices.map((device) => ({ device, deactivation: undefined, deletion: undefined, problem: undefined }));
  if (devices.length === 0) core.info('The user has no MFA device: nothing to do.');
  else if (settings.dryRun) core.info(`Dry run: would deactivate ${devices.map((d) => d.serial).join(', ')}.`);
}

async function deactivateAndDelete(settings: Settings, record: RunRecord, session: IamSession): Promise<void> {
  for (const entry of record.devices) {
    await onDevice(entry, 'deactivation', async () => {
      entry.deactivation = await session.send((iam) => deactivateDevice(iam, settings.userName, entry.device.serial));
      core.info(`${entry.device.serial}: ${entry.deactivation}.`);
    });
  }
  if (!settings.deleteVirtualDevices) return;
  for (const entry of record.devices.filter((e) => e.device.kind === 'virtual')) {
    await onDevice(entry, 'deletion', async () => {
      entry.deletion = await session.send((iam) => deleteVirtualDevice(iam, entry.device.serial));
      core.info(`${entry.device.serial}: ${entry.deletion}.`);
    });
  }
}

function deactivatedThisRun(record: RunRecord, device: MfaDevice): boolean {
  return record.devices.some((entry) => entry.device.serial === device.serial && (entry.deactivation === 'deactivated' || entry.deactivation === 'already-removed'));
}

/** Runs one step on a device; on failure records why on that device and stops the run. */
async function onDevice(entry: DeviceRecord, step: 'deactivation' | 'deletion', work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    entry[step] = 'failed';
    entry.problem = deviceProblem(error);
    throw error;
  }
}

/** Why one device was not done, for its row; the full explanation heads the summary. */
function deviceProblem(error: unknown): string {
  if (error instanceof StepUpError) return 'AWS requires an MFA-authenticated session, and stepping up failed (see above).';
  return error instanceof ActionError ? error.message : describeAwsError(error);
}

function runIdentity(): RunIdentity {
  // Outside Actions these variables are unset and parse as NaN.
  return { actor: context.actor ?? '', runId: context.runId || 0, runAttempt: context.runAttempt || 1 };
}

function runContext(): RunContext {
  const repository = process.env.GITHUB_REPOSITORY;
  return {
    actor: context.actor ?? '',
    triggeringActor: process.env.GITHUB_TRIGGERING_ACTOR ?? '',
    runUrl: repository && context.runId ? `${context.serverUrl}/${repository}/actions/runs/${context.runId}/attempts/${context.runAttempt || 1}` : undefined,
    workflow: context.workflow ?? '',
    eventName: context.eventName ?? '',
  };
}
