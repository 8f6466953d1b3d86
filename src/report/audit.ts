// The approval and audit-trail sections of the job summary, from the run's record. Everything
// from outside (logins, comments, reasons, serials) is escaped and redacted like the rest of the summary.
import type { RunReport } from '../record.ts';
import type { Summary, SummaryTableRow } from '../runner/runner.ts';
import { summaryText } from '../text.ts';
import { seconds } from './outcome.ts';

const STATE_LABEL: Record<string, string> = { approved: 'approved', rejected: 'rejected', pending: 'pending (commented)' };

/** How outside values are written into the summary: escaped, redacted, as code, as an account. */
interface Writer {
  text(value: string): string;
  code(value: string): string;
  login(who: { login: string; id?: number | undefined } | undefined): string;
}

function writer(masked: readonly string[]): Writer {
  const text = (value: string): string => summaryText(value, masked);
  return {
    text,
    code: (value) => `<code>${text(value)}</code>`,
    login: (who) => (who ? `${text(`@${who.login}`)}${who.id === undefined ? '' : ` (id ${who.id})`}` : 'a deleted account'),
  };
}

const header = (...names: string[]): SummaryTableRow => names.map((data) => ({ data, header: true }));

/** The approval's facts, one [name, value] a row: the mode, who counted, the pull request, the request, the user tag. */
function approvalFacts(audit: RunReport, { text, code, login }: Writer): [string, string][] {
  const approval = audit.approval;
  const facts: [string, string][] = [['Required', approval ? code(`require-approval: ${approval.mode}`) : 'not checked: the run stopped first']];
  if (approval && approval.mode !== 'none') {
    const approvers = approval.approvers.map((a) => `${login(a)}, ${text(a.role || a.permission)}${a.at ? ` at ${text(a.at)}` : ''}`).join('; ');
    facts.push(['Run attempt', String(approval.attempt)], ['Counted approvers', approvers || 'nobody']);
    const checked = approval.permissions.map((p) => `${login(p)}: ${text(p.permission)}${p.role && p.role !== p.permission ? ` (${text(p.role)})` : ''}`);
    if (checked.length > 0) facts.push(['Reviewer permissions', checked.join('; ')]);
    if (approval.approvedAt) facts.push(['Approved at', `${text(approval.approvedAt)}: devices enabled later are not touched`]);
  }
  const pull = approval?.pullRequest;
  if (pull) {
    facts.push(
      // A link only to a web page: an answer from the API names the URL, and it must not be javascript: or data:.
      ['Pull request', `${/^https:\/\//.test(pull.url) ? `<a href="${text(pull.url)}">#${pull.number}</a>` : `#${pull.number}`} by ${login(pull.author)}`],
      ['Merged head commit', code(pull.headSha)],
    );
  }
  if (audit.request) {
    facts.push(['Request file', code(audit.request.file)], ['Reason', text(audit.request.reason)]);
    if (audit.request.ticket) facts.push(['Ticket', text(audit.request.ticket)]);
  }
  if (audit.userTag) {
    const { key, value, requester, matches } = audit.userTag;
    const verdict = value === undefined ? 'no such tag on the user' : matches ? 'matches' : 'does not match';
    facts.push(['IAM user tag', `${code(key)} ${verdict} the requester ${login(requester)}`]);
  }
  return facts;
}

/** The environment's review log, a row per review; none outside environment mode. */
function environmentReviews(audit: RunReport, { text, login }: Writer): SummaryTableRow[] {
  const approval = audit.approval;
  if (approval?.mode !== 'environment' || approval.runApprovals.length === 0) return [];
  return [
    header('Reviewer', 'Decision', 'Environments', 'Comment'),
    ...approval.runApprovals.map((entry) => [
      login(entry.reviewer),
      text(STATE_LABEL[entry.state] ?? entry.state),
      text(entry.environments.join(', ')),
      text(entry.comment),
    ]),
  ];
}

/** The audit trail's tables: version and role session; each change AWS was asked for; each call retried. */
function auditTrail(audit: RunReport, { text, code }: Writer): SummaryTableRow[][] {
  const session = audit.sessionName;
  const tables: SummaryTableRow[][] = [
    [
      [{ data: 'Action version', header: true }, text(audit.version)],
      [
        { data: 'Role session name', header: true },
        session
          ? `${code(session.name)} (${session.from === 'default' ? "the action's default" : 'set by the workflow in role-session-name'})`
          : 'none: no role was assumed',
      ],
    ],
  ];
  if (audit.changes.length > 0) {
    tables.push([
      header('AWS call', 'Device', 'Request id (CloudTrail requestID)', 'Result'),
      ...audit.changes.map((change) => [
        text(change.operation),
        code(change.serial),
        change.requestId ? code(change.requestId) : 'none received',
        text(change.attempts > 1 ? `${change.outcome} (${change.attempts} attempts)` : change.outcome),
      ]),
    ]);
  }
  if (audit.retried.length > 0) {
    tables.push([
      header('AWS call retried', 'Device', 'Each attempt', 'Backoff'),
      ...audit.retried.map((call) => [text(call.call), call.serial ? code(call.serial) : '', text(call.attempts.join(', ')), text(seconds(call.waitedMs))]),
    ]);
  }
  return tables;
}

/** Adds the approval and audit-trail sections; the caller writes the summary. */
export function composeAuditSection(summary: Summary, audit: RunReport): Summary {
  const write = writer(audit.masked);
  summary.addHeading('Approval', 3);
  summary.addTable(approvalFacts(audit, write).map(([name, value]) => [{ data: name, header: true }, value]));
  const reviews = environmentReviews(audit, write);
  if (reviews.length > 0) summary.addTable(reviews);
  summary.addHeading('Audit trail', 3);
  for (const table of auditTrail(audit, write)) summary.addTable(table);
  return summary;
}
