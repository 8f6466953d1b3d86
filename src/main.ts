// The action's flow: validate, act as the right identity, list, deactivate (stepping up when AWS
// demands MFA), optionally delete, and report, also when a step fails.
import * as core from '@actions/core';
import { context } from './github-context.ts';
import { approveRun } from './approval-gate.ts';
import { type AuditRecord, type AwsChange, newAuditRecord, recordingChanges } from './audit.ts';
import { auditOutputs, composeAuditSection } from './audit-report.ts';
import { type AwsConnector, awsConnector } from './aws.ts';
import { resolveActingIdentity } from './credentials.ts';
import { Deadline, RunTimeoutError } from './deadline.ts';
import { ActionError, awsAnswered, describeAwsError } from './errors.ts';
import { rawInputs, readSettings, type RunIdentity, secretsOf, type Settings } from './inputs.ts';
import { fail, info, warning } from './log.ts';
import { deactivateDevice, deleteVirtualDevice, listMfaDevices, type MfaDevice, selectDevices } from './mfa.ts';
import { composeSummary, type DeviceRecord, newRecord, outputsOf, type RunContext, type RunRecord } from './report.ts';
import { IamSession, StepUpError } from './step-up.ts';
import { type GitHubConnector, octokitConnector } from './github.ts';
import { getUser, nameForms } from './user.ts';
import { bindRequester } from './user-tag.ts';
import { actionVersion } from './version.ts';

export interface Deps {
  connect: (region: string, deadline: Deadline) => AwsConnector;
  getIdToken: (audience: string) => Promise<string>;
  /** GitHub's API, for require-approval (loaded only then). */
  github?: GitHubConnector;
}

const runnerDeps: Deps = { connect: awsConnector, getIdToken: (audience) => core.getIDToken(audience) };

export async function run(deps: Deps = runnerDeps): Promise<void> {
  const record = newRecord();
  const audit = newAuditRecord(actionVersion());
  // Everything the runner masks is also kept out of the summary the action writes itself.
  const mask = (secret: string): void => {
    core.setSecret(secret);
    record.masked.push(secret);
  };
  let maskForms = (text: string): string => text;
  let deadline: Deadline | undefined;
  try {
    const given = readInputs(mask);
    maskForms = nameFormsMasker(given, record, mask);
    record.userName = given.userName;
    record.dryRun = given.dryRun;
    deadline = new Deadline(given.timeoutSeconds);
    await approveRun(given, audit, { connect: deps.github ?? octokitConnector, signal: deadline.signal, log: info });
    const session = await actingSession(given, record, deps, deadline, mask, maskForms, audit.changes);
    try {
      const settings = given.maskUserName ? await withCanonicalUser(given, record, session, mask) : given;
      info(`Acting as ${record.acting?.arn}.`);
      await bindRequester(settings, audit, session);
      await planDevices(settings, record, session);
      if (record.devices.length > 0 && !settings.dryRun) await deactivateAndDelete(settings, record, session);
    } finally {
      const { steppedUp } = session;
      if (steppedUp) record.stepUp = { arn: steppedUp.arn, device: steppedUp.device.serial };
    }
  } catch (error) {
    record.error = maskForms(error instanceof ActionError ? error.message : describeAwsError(error));
  } finally {
    deadline?.end();
  }
  // The run's own outcome is reported even when the runner's files cannot be written.
  for (const problem of await writeReport(record, audit)) warning(problem);
  if (record.error !== undefined) fail(`deactivate-iam-mfa: ${record.error}`);
}

/** Reads and checks every input, masking the secret ones first and warning about those that do nothing here. */
function readInputs(mask: (secret: string) => void): Settings {
  // Untrimmed: ` 900` is refused, not silently read as 900.
  const raw = rawInputs((name) => core.getInput(name, { trimWhitespace: false }));
  for (const secret of secretsOf(raw)) mask(secret);
  const { settings, warnings, masks } = readSettings(raw, runIdentity());
  for (const value of masks) mask(value);
  for (const text of warnings) warning(text);
  return settings;
}

/**
 * IAM user names are case-insensitive, so AWS may print the target's name in another case than the
 * input's: masks every form of it found in a text before the text is printed.
 */
function nameFormsMasker(settings: Settings, record: RunRecord, mask: (secret: string) => void): (text: string) => string {
  if (!settings.maskUserName) return (text) => text;
  return (text) => {
    for (const form of nameForms(text, settings.userName)) if (!record.masked.includes(form)) mask(form);
    return text;
  };
}

/** Writes the outputs and the summary; returns what could not be written, for warnings. */
async function writeReport(record: RunRecord, audit: AuditRecord): Promise<string[]> {
  const problems: string[] = [];
  const outputs = { ...outputsOf(record), ...auditOutputs(audit) };
  try {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  } catch (error) {
    problems.push(`Could not write the step outputs (${messageOf(error)}); later steps cannot read them. The run's result: ${outputs['result']}.`);
  }
  try {
    await composeAuditSection(composeSummary(core.summary, record, runContext()), audit, record.masked).write();
  } catch (error) {
    problems.push(`Could not write the job summary (${messageOf(error)}); this log is the run's only record.`);
  }
  return problems;
}

async function actingSession(
  settings: Settings,
  record: RunRecord,
  deps: Deps,
  deadline: Deadline,
  mask: (secret: string) => void,
  maskForms: (text: string) => string,
  changes: AwsChange[],
): Promise<IamSession> {
  const aws = recordingChanges(deps.connect(settings.region, deadline), changes);
  const bound = <T>(call: string, work: () => Promise<T>): Promise<T> => deadline.race(call, () => work());
  const acting = await resolveActingIdentity(settings, { aws, getIdToken: deps.getIdToken, mask, bound });
  record.acting = { source: acting.source, arn: maskForms(acting.arn) };
  return new IamSession(
    aws.iam(acting.credentials),
    { keys: acting.stepUpKeys, keysArn: acting.stepUpArn, actingArn: acting.arn, code: settings.mfaToken, stepUpSerial: settings.stepUpSerialNumber },
    { aws, mask, log: (message) => info(maskForms(message)) },
  );
}

/**
 * Learns the user's name as IAM spells it and masks it before anything AWS says about the user is
 * printed, and records the unique id for the audit. (protected-users needs no second check here:
 * IAM names are ASCII and matched case-insensitively, so the input's check already covered this name.)
 */
async function withCanonicalUser(settings: Settings, record: RunRecord, session: IamSession, mask: (secret: string) => void): Promise<Settings> {
  const user = await session.send((iam) => getUser(iam, settings.userName));
  if (!record.masked.includes(user.userName)) mask(user.userName);
  record.userName = user.userName;
  record.user = { userId: user.userId, path: user.path };
  return { ...settings, userName: user.userName };
}

async function planDevices(settings: Settings, record: RunRecord, session: IamSession): Promise<void> {
  const listed = await session.send((iam) => listMfaDevices(iam, settings.userName));
  session.targetDevices = { userName: settings.userName, devices: () => listed.filter((device) => !deactivatedThisRun(record, device)) };
  const devices = selectDevices(listed, settings.serialNumber);
  record.devices = devices.map((device) => ({ device, deactivation: undefined, deletion: undefined, problem: undefined }));
  if (devices.length === 0) info('The user has no MFA device: nothing to do.');
  else if (settings.dryRun) info(`Dry run: would deactivate ${devices.map((d) => d.serial).join(', ')}.`);
}

async function deactivateAndDelete(settings: Settings, record: RunRecord, session: IamSession): Promise<void> {
  for (const entry of record.devices) {
    await onDevice(entry, 'deactivation', async () => {
      entry.deactivation = await session.send((iam) => deactivateDevice(iam, settings.userName, entry.device.serial));
      info(`Device ${entry.device.serial}: ${entry.deactivation}.`);
    });
  }
  if (!settings.deleteVirtualDevices) return;
  for (const entry of record.devices.filter((e) => e.device.kind === 'virtual')) {
    await onDevice(entry, 'deletion', async () => {
      entry.deletion = await session.send((iam) => deleteVirtualDevice(iam, entry.device.serial));
      info(`Device ${entry.device.serial}: ${entry.deletion}.`);
    });
  }
}

function deactivatedThisRun(record: RunRecord, device: MfaDevice): boolean {
  return record.devices.some(
    (entry) => entry.device.serial === device.serial && (entry.deactivation === 'deactivated' || entry.deactivation === 'already-removed'),
  );
}

/** Runs one step on a device; on failure records why on that device and stops the run. */
async function onDevice(entry: DeviceRecord, step: 'deactivation' | 'deletion', work: () => Promise<void>): Promise<void> {
  try {
    await work();
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  const { repository } = context;
  return {
    actor: context.actor ?? '',
    triggeringActor: context.triggeringActor ?? '',
    runUrl: repository && context.runId ? `${context.serverUrl}/${repository}/actions/runs/${context.runId}/attempts/${context.runAttempt || 1}` : undefined,
    workflow: context.workflow ?? '',
    eventName: context.eventName ?? '',
  };
}
