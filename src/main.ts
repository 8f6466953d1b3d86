// The action's flow: validate, act as the right identity, list, deactivate (stepping up when AWS
// demands MFA), optionally delete, and report, also when a step fails.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { type AwsConnector, awsConnector } from './aws.ts';
import { resolveActingIdentity } from './credentials.ts';
import { ActionError, describeAwsError } from './errors.ts';
import { readSettings, type RunIdentity, type Settings } from './inputs.ts';
import { deactivateDevice, deleteVirtualDevice, listMfaDevices, selectDevices } from './mfa.ts';
import { composeSummary, type DeviceRecord, newRecord, outputsOf, type RunContext, type RunRecord } from './report.ts';
import { IamSession } from './step-up.ts';

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
    await deactivateMfa(settings, record, deps, mask);
  } catch (error) {
    record.error = error instanceof ActionError ? error.message : describeAwsError(error);
  }
  for (const [name, value] of Object.entries(outputsOf(record))) core.setOutput(name, value);
  await composeSummary(core.summary, record, runContext()).write();
  if (record.error !== undefined) core.setFailed(`deactivate-iam-mfa: ${record.error}`);
}

async function deactivateMfa(settings: Settings, record: RunRecord, deps: Deps, mask: (secret: string) => void): Promise<void> {
  const aws = deps.connect(settings.region);
  const acting = await resolveActingIdentity(settings, { aws, getIdToken: deps.getIdToken, mask });
  record.acting = { source: acting.source, arn: acting.arn };
  core.info(`Acting as ${acting.arn}.`);

  const iam = aws.iam(acting.credentials);
  const devices = selectDevices(await listMfaDevices(iam, settings.userName), settings.serialNumber);
  record.devices = devices.map((device) => ({ device, deactivation: undefined, deletion: undefined, problem: undefined }));
  if (devices.length === 0) return core.info('The user has no MFA device: nothing to do.');
  if (settings.dryRun) return core.info(`Dry run: would deactivate ${devices.map((d) => d.serial).join(', ')}.`);

  const session = new IamSession(
    iam,
    { keys: acting.stepUpKeys, actingArn: acting.arn, code: settings.mfaToken, stepUpSerial: settings.stepUpSerialNumber },
    { aws, mask },
  );
  try {
    for (const entry of record.devices) {
      await attempt(entry, async () => {
        entry.deactivation = await session.send((client) => deactivateDevice(client, settings.userName, entry.device.serial));
        core.info(`${entry.device.serial}: ${entry.deactivation}.`);
      });
    }
    if (settings.deleteVirtualDevices) {
      for (const entry of record.devices.filter((e) => e.device.kind === 'virtual')) {
        await attempt(entry, async () => {
          entry.deletion = await session.send((client) => deleteVirtualDevice(client, entry.device.serial));
          core.info(`${entry.device.serial}: ${entry.deletion}.`);
        });
      }
    }
  } finally {
    record.stepUpDevice = session.stepUpDevice?.serial;
  }
}

/** Runs one device's step; on failure notes why on that device and stops the run. */
async function attempt(entry: DeviceRecord, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    const problem = error instanceof ActionError ? error.message : describeAwsError(error);
    if (entry.deactivation === undefined) entry.deactivation = 'failed';
    else entry.deletion = 'failed';
    entry.problem = problem;
    throw error;
  }
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
