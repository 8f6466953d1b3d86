// What the run did, as one record, and everything derived from it: the result, the step outputs
// and the job summary. The record is filled in as the run goes, so a failed run reports exactly
// what it did before it stopped.
import type { summary as coreSummary } from '@actions/core';
import type { CredentialSource } from './credentials.ts';
import type { Deactivation, Deletion, MfaDevice } from './mfa.ts';

type Summary = typeof coreSummary;

/** 'unknown': the call got no answer (timeout, lost connection), so AWS may or may not have acted. */
export type StepOutcome<Done> = Done | 'failed' | 'unknown' | undefined;

export interface DeviceRecord {
  device: MfaDevice;
  deactivation: StepOutcome<Deactivation>;
  deletion: StepOutcome<Deletion>;
  problem: string | undefined;
}

export interface RunRecord {
  userName: string;
  /** What IAM says of the user (GetUser): its unique id identifies it even while its name is masked. */
  user: { userId: string; path: string } | undefined;
  /** Values the runner masks (user name, account id): never written in clear. */
  masked: string[];
  dryRun: boolean;
  acting: { source: CredentialSource; arn: string } | undefined;
  devices: DeviceRecord[];
  /** Who stepped up to an MFA session, and with which device. */
  stepUp: { arn: string; device: string } | undefined;
  error: string | undefined;
}

export interface RunContext {
  actor: string;
  triggeringActor: string;
  runUrl: string | undefined;
  workflow: string;
  eventName: string;
}

export type Result = 'deactivated' | 'nothing-to-do' | 'dry-run' | 'failed';

/** userName stays '' until the inputs are read and it is masked. */
export function newRecord(): RunRecord {
  return { userName: '', user: undefined, masked: [], dryRun: false, acting: undefined, devices: [], stepUp: undefined, error: undefined };
}

function resultOf(record: RunRecord): Result {
  if (record.error !== undefined) return 'failed';
  if (record.devices.length === 0) return 'nothing-to-do';
  return record.dryRun ? 'dry-run' : 'deactivated';
}

const isOff = (entry: DeviceRecord): boolean => entry.deactivation === 'deactivated' || entry.deactivation === 'already-removed';
const isGone = (entry: DeviceRecord): boolean => entry.deletion === 'deleted' || entry.deletion === 'already-deleted';

export function outputsOf(record: RunRecord): Record<string, string> {
  const serials = (keep: (entry: DeviceRecord) => boolean): string => JSON.stringify(record.devices.filter(keep).map((entry) => entry.device.serial));
  return {
    result: resultOf(record),
    'planned-devices': serials(() => true),
    'deactivated-devices': serials(isOff),
    'deleted-devices': serials(isGone),
    'remaining-devices': serials((entry) => !isOff(entry)),
    'step-up-used': String(record.stepUp !== undefined),
  };
}

const KIND_LABEL = { virtual: 'virtual', hardware: 'hardware TOTP', fido: 'FIDO security key' } as const;
const SOURCE_LABEL = { 'oidc-role': 'GitHub OIDC role', 'user-keys': 'IAM user access keys', 'default-chain': 'default credential chain' } as const;

export function deviceOutcome(entry: DeviceRecord, record: RunRecord): string {
  const problem = entry.problem ? `: ${entry.problem}` : '';
  switch (entry.deactivation) {
    case 'failed':
      return `not deactivated${problem}`;
    case 'unknown':
      return `outcome unknown, AWS gave no answer${problem}`;
    case undefined:
      return record.dryRun ? 'would be deactivated (dry run)' : 'not deactivated: not attempted, the run stopped first';
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

function headline(record: RunRecord): string {
  const count = (n: number): string => (n === 1 ? '1 device' : `${n} devices`);
  switch (resultOf(record)) {
    case 'failed':
      return 'IAM MFA deactivation failed';
    case 'nothing-to-do':
      return 'IAM MFA: nothing to deactivate';
    case 'dry-run':
      return `IAM MFA dry run: ${count(record.devices.length)} would be deactivated`;
    case 'deactivated':
      return `IAM MFA: deactivated ${count(record.devices.filter(isOff).length)}`;
  }
}

/** Adds the run's summary to the buffer; the caller writes it. Everything from outside goes through summaryText(). */
export function composeSummary(summary: Summary, record: RunRecord, run: RunContext): Summary {
  const text = (value: string): string => summaryText(value, record.masked);
  const code = (value: string): string => `<code>${text(value)}</code>`;
  const date = (value: Date | undefined): string => (value ? value.toISOString().replace('.000Z', 'Z') : 'unknown');
  const startedBy =
    run.triggeringActor && run.triggeringActor !== run.actor ? `${text(run.actor)} (re-run by ${text(run.triggeringActor)})` : text(run.actor || 'unknown');
  const runLink = run.runUrl ? `<a href="${text(run.runUrl)}">${text(run.workflow || 'workflow run')}</a>` : text(run.workflow || 'local run');

  summary.addHeading(text(headline(record)), 2);
  if (record.error !== undefined) summary.addQuote(text(record.error));
  summary.addTable([
    [{ data: 'IAM user', header: true }, record.userName ? code(record.userName) : 'not read'],
    ...(record.user ? [[{ data: 'IAM user id', header: true }, `${code(record.user.userId)} (path ${code(record.user.path)})`]] : []),
    [{ data: 'Acted as', header: true }, record.acting ? `${code(record.acting.arn)} (${SOURCE_LABEL[record.acting.source]})` : 'not resolved'],
    [{ data: 'MFA step-up', header: true }, record.stepUp ? `used: ${code(record.stepUp.arn)} with ${code(record.stepUp.device)}` : 'not used'],
    [{ data: 'Run', header: true }, `${runLink} (${text(run.eventName || 'unknown event')})`],
    [{ data: 'Started by', header: true }, startedBy],
  ]);
  if (record.devices.length > 0) {
    summary.addTable([
      ['Device', 'Kind', 'Enabled', 'Outcome'].map((data) => ({ data, header: true })),
      ...record.devices.map((entry) => [
        code(entry.device.serial),
        KIND_LABEL[entry.device.kind],
        date(entry.device.enabledAt),
        text(deviceOutcome(entry, record)),
      ]),
    ]);
  }
  const notes = summaryNotes(record);
  if (notes.length > 0) summary.addList(notes.map(text));
  return summary;
}

function summaryNotes(record: RunRecord): string[] {
  const notes: string[] = [];
  const leftovers = record.devices.filter((entry) => entry.device.kind === 'virtual' && isOff(entry) && !isGone(entry));
  if (leftovers.length > 0 && !record.dryRun) {
    notes.push(
      `${leftovers.length === 1 ? 'One deactivated virtual device remains' : `${leftovers.length} deactivated virtual devices remain`} in the account, unassigned: ` +
        'creating a new one with the same name fails (EntityAlreadyExists) until it is deleted. Set delete-virtual-devices: true to delete them.',
    );
  }
  if (record.error !== undefined && record.devices.some((entry) => !isOff(entry))) {
    notes.push(
      'Devices marked "not deactivated" are still active. Running the workflow again finishes the job: devices already deactivated are no longer listed.',
    );
  }
  if (record.devices.some((entry) => entry.deactivation === 'unknown' || entry.deletion === 'unknown')) {
    notes.push(
      'A device marked "outcome unknown" got no answer from AWS, which may or may not have acted on it; it is counted as remaining. Running the workflow again settles it.',
    );
  }
  return notes;
}

/** Replaces every masked value, longest first so that one containing another is fully hidden. */
export function redact(value: string, masked: readonly string[]): string {
  return [...masked].sort((a, b) => b.length - a.length).reduce((out, secret) => (secret ? out.split(secret).join('***') : out), value);
}

// The summary is GitHub-flavoured Markdown made of HTML blocks (core.summary writes <h2>, <table>,
// <blockquote>, <ul>). An HTML block ends at a blank line, after which Markdown renders again: so a
// line break must never reach the file raw, and a character HTML or Markdown reads as markup is
// written as a character reference, which renders as the character itself. Emphasis marks (* and _)
// are kept: they could only ever make emphasis, the masked form *** stays as GitHub writes it, and
// names like workflow_dispatch stay readable.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const MARKUP = /[&<>"'\\`[\]!#|~\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// A hostile endpoint must not push the summary past GitHub's 1 MiB limit (GitHub then drops it).
const MAX_VALUE_LENGTH = 2000;

/**
 * The one way outside text (inputs, AWS answers and messages, OIDC errors, actor names) enters the
 * summary: masked values hidden, cut to a sane length, and every line break and markup character
 * written as a numeric character reference.
 */
export function summaryText(value: string, masked: readonly string[]): string {
  const visible = redact(value, masked);
  const cut = visible.length > MAX_VALUE_LENGTH ? `${visible.slice(0, MAX_VALUE_LENGTH)}… (${visible.length - MAX_VALUE_LENGTH} more characters)` : visible;
  return cut.replace(MARKUP, (c) => `&#${c.charCodeAt(0)};`);
}
