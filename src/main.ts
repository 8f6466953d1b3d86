// The action's flow: read the inputs, prove the approval, act as the right identity, learn the
// user, list its devices, deactivate them (stepping up when AWS demands MFA), and report, also when
// a step fails. Each step returns its part of the one record that the report is written from.
import { coveredByApproval } from './approvals/decide.ts';
import { approvalLine, checkApproval, requireApproved } from './approvals/gate.ts';
import { type GitHubConnector, octokitConnector } from './approvals/github.ts';
import { recordingChanges } from './aws/changes.ts';
import { type AwsConnector, awsConnector } from './aws/clients.ts';
import { resolveActingIdentity } from './aws/credentials.ts';
import { selectDevices } from './aws/devices.ts';
import { explainAwsError } from './aws/errors.ts';
import { planned, resetDevices } from './aws/reset.ts';
import { IamSession } from './aws/session.ts';
import { nameForms } from './aws/user.ts';
import { requireUserTag, userTagCheck } from './aws/user-tag.ts';
import { ActionError } from './errors.ts';
import { workspaceFiles } from './inputs/approval.ts';
import { rawInputs, readSettings, secretsOf } from './inputs/read.ts';
import { type Acting, newReport, type RunReport, type TargetUser } from './record.ts';
import { outputsOf } from './report/outputs.ts';
import { composeSummary } from './report/summary.ts';
import { runContext } from './runner/context.ts';
import { Deadline } from './runner/deadline.ts';
import { actionsRunner, type Runner } from './runner/runner.ts';
import type { Settings } from './settings.ts';

export interface Deps {
  runner: Runner;
  connect: (region: string, deadline: Deadline) => AwsConnector;
  /** GitHub's API, for require-approval (Octokit is loaded only then). */
  github: GitHubConnector;
  deadline: (seconds: number) => Deadline;
}

const actionDeps = (): Deps => ({ runner: actionsRunner(), connect: awsConnector, github: octokitConnector, deadline: (seconds) => new Deadline(seconds) });

export async function run(deps: Deps = actionDeps()): Promise<void> {
  const { runner } = deps;
  const report = newReport(runContext(runner.run), runner.run.version);
  let deadline: Deadline | undefined;
  let session: IamSession | undefined;
  let changes = (): RunReport['changes'] => [];
  let retried = (): RunReport['retried'] => [];
  try {
    const settings = readInputs(runner);
    Object.assign(report, requestOf(settings));
    deadline = deps.deadline(settings.timeoutSeconds);
    const approval = await checkApproval(settings.approval, runner.run, {
      connect: deps.github,
      signal: deadline.signal,
      remainingMs: () => deadline?.remainingMs() ?? 0,
      now: Date.now,
    });
    report.approval = approval;
    requireApproved(approval);
    logApproval(runner, report);
    const aws = recordingChanges(deps.connect(settings.region, deadline));
    ({ changes, retried } = aws);
    ({ acting: report.acting, session } = await actAs(settings, aws.aws, runner, deadline));
    report.user = settings.maskUserName ? await canonicalUser(settings.userName, session, runner) : undefined;
    const userName = report.user?.userName ?? settings.userName;
    report.userName = userName;
    if (settings.approval.userTag !== undefined) {
      report.userTag = userTagCheck(settings.approval.userTag, await session.userTag(userName, settings.approval.userTag), approval.requester);
      requireUserTag(report.userTag);
    }
    report.devices = coveredByApproval(planned(selectDevices(await session.devicesOf(userName), settings.serialNumber)), approval.approvedAt);
    logPlan(runner, report);
    if (report.devices.length > 0 && !settings.dryRun) {
      const reset = await resetDevices(session, userName, report.devices, settings.deleteVirtualDevices, (line) => runner.info(line));
      report.devices = reset.devices;
      if (reset.failure !== undefined) throw reset.failure;
    }
  } catch (error) {
    report.error = maskNameForms(runner, report.userName, error instanceof ActionError ? error.message : explainAwsError(error));
  } finally {
    deadline?.end();
    report.stepUp = session?.stepUp;
    report.changes = changes();
    report.retried = retried();
  }
  await writeReport(runner, { ...report, masked: runner.masked() });
}

/** Reads and checks every input, masking the secret ones first and warning about those that do nothing here. */
function readInputs(runner: Runner): Settings {
  const raw = rawInputs((name) => runner.input(name));
  for (const secret of secretsOf(raw)) runner.mask(secret);
  const { settings, warnings, masks } = readSettings(raw, runner.run, workspaceFiles(runner.run.workspace));
  for (const value of masks) runner.mask(value);
  for (const text of warnings) runner.warning(text);
  return settings;
}

/** What the run was asked to do, as the audit record names it. */
function requestOf(settings: Settings): Pick<RunReport, 'userName' | 'dryRun' | 'request' | 'sessionName'> {
  const { role, approval } = settings;
  return {
    userName: settings.userName,
    dryRun: settings.dryRun,
    request: approval.request,
    sessionName: role && { name: role.sessionName, from: role.sessionNameFrom },
  };
}

async function actAs(settings: Settings, aws: AwsConnector, runner: Runner, deadline: Deadline): Promise<{ acting: Acting; session: IamSession }> {
  const mask = (secret: string): void => runner.mask(secret);
  const bound = <T>(call: string, work: () => Promise<T>): Promise<T> => deadline.race(call, () => work());
  const identity = await resolveActingIdentity(settings, { aws, getIdToken: (audience) => runner.idToken(audience), mask, bound });
  const acting = { source: identity.source, arn: maskNameForms(runner, settings.userName, identity.arn) };
  runner.info(`Acting as ${acting.arn}.`);
  const plan = {
    keys: identity.stepUpKeys,
    keysArn: identity.stepUpArn,
    actingArn: identity.arn,
    code: settings.mfaToken,
    stepUpSerial: settings.stepUpSerialNumber,
  };
  const log = (message: string): void => runner.info(maskNameForms(runner, settings.userName, message));
  return { acting, session: new IamSession(aws.iam(identity.credentials), plan, { aws, mask, log }) };
}

/**
 * Learns the user's name as IAM spells it and masks it before anything AWS says about the user is
 * printed. (protected-users needs no second check here: IAM names are ASCII and matched
 * case-insensitively, so the input's check already covered this name.)
 */
async function canonicalUser(userName: string, session: IamSession, runner: Runner): Promise<TargetUser> {
  const user = await session.user(userName);
  runner.mask(user.userName);
  return user;
}

/**
 * IAM user names are case-insensitive, so AWS may print the target's name in another case than the
 * input's: masks every form of it found in a text before the text is printed.
 */
function maskNameForms(runner: Runner, userName: string, text: string): string {
  if (userName !== '' && runner.masked().includes(userName)) for (const form of nameForms(text, userName)) runner.mask(form);
  return text;
}

function logApproval(runner: Runner, report: RunReport): void {
  const line = report.approval && approvalLine(report.approval);
  if (line) runner.info(line);
}

function logPlan(runner: Runner, report: RunReport): void {
  if (report.devices.length === 0) runner.info('The user has no MFA device: nothing to do.');
  else if (report.dryRun) runner.info(`Dry run: would deactivate ${report.devices.map((d) => d.device.serial).join(', ')}.`);
}

/** Writes the outputs and the summary; the run's own outcome is reported even when the runner's files cannot be written. */
async function writeReport(runner: Runner, report: RunReport): Promise<void> {
  const outputs = outputsOf(report);
  try {
    for (const [name, value] of Object.entries(outputs)) runner.setOutput(name, value);
  } catch (error) {
    runner.warning(`Could not write the step outputs (${messageOf(error)}); later steps cannot read them. The run's result: ${outputs['result']}.`);
  }
  try {
    await runner.writeSummary((summary) => composeSummary(summary, report));
  } catch (error) {
    runner.warning(`Could not write the job summary (${messageOf(error)}); this log is the run's only record.`);
  }
  if (report.error !== undefined) runner.fail(`deactivate-iam-mfa: ${report.error}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
