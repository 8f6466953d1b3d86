// The job summary an auditor reads, from the run's one record. Everything from outside goes
// through summaryText(): masked values hidden, markup written as character references.
import type { RunReport } from '../record.ts';
import type { Summary } from '../runner/runner.ts';
import { summaryText } from '../text.ts';
import { composeAuditSection } from './audit.ts';
import { deviceOutcome, headline, summaryNotes } from './outcome.ts';

const KIND_LABEL = { virtual: 'virtual', hardware: 'hardware TOTP', fido: 'FIDO security key' } as const;
const SOURCE_LABEL = { 'oidc-role': 'GitHub OIDC role', 'user-keys': 'IAM user access keys', 'default-chain': 'default credential chain' } as const;

/** Adds the run's summary to the buffer; the caller writes it. */
export function composeSummary(summary: Summary, report: RunReport): Summary {
  const text = (value: string): string => summaryText(value, report.masked);
  const code = (value: string): string => `<code>${text(value)}</code>`;
  const date = (value: Date | undefined): string => (value ? value.toISOString().replace('.000Z', 'Z') : 'unknown');
  const { run } = report;
  const startedBy =
    run.triggeringActor && run.triggeringActor !== run.actor ? `${text(run.actor)} (re-run by ${text(run.triggeringActor)})` : text(run.actor || 'unknown');
  const runLink = run.runUrl ? `<a href="${text(run.runUrl)}">${text(run.workflow || 'workflow run')}</a>` : text(run.workflow || 'local run');

  summary.addHeading(text(headline(report)), 2);
  if (report.error !== undefined) summary.addQuote(text(report.error));
  summary.addTable([
    [{ data: 'IAM user', header: true }, report.userName ? code(report.userName) : 'not read'],
    ...(report.user ? [[{ data: 'IAM user id', header: true }, `${code(report.user.userId)} (path ${code(report.user.path)})`]] : []),
    [{ data: 'Acted as', header: true }, report.acting ? `${code(report.acting.arn)} (${SOURCE_LABEL[report.acting.source]})` : 'not resolved'],
    [{ data: 'MFA step-up', header: true }, report.stepUp ? `used: ${code(report.stepUp.arn)} with ${code(report.stepUp.device.serial)}` : 'not used'],
    [{ data: 'Run', header: true }, `${runLink} (${text(run.eventName || 'unknown event')})`],
    [{ data: 'Started by', header: true }, startedBy],
  ]);
  if (report.devices.length > 0) {
    summary.addTable([
      ['Device', 'Kind', 'Enabled', 'Outcome'].map((data) => ({ data, header: true })),
      ...report.devices.map((entry) => [
        code(entry.device.serial),
        KIND_LABEL[entry.device.kind],
        date(entry.device.enabledAt),
        text(deviceOutcome(entry, report.dryRun)),
      ]),
    ]);
  }
  const notes = summaryNotes(report);
  if (notes.length > 0) summary.addList(notes.map(text));
  return composeAuditSection(summary, report);
}
