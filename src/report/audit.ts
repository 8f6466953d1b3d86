// The approval and audit-trail sections of the job summary, from the run's record. Everything
// from outside (logins, comments, reasons, serials) is escaped and redacted like the rest of the summary.
import type { RunReport } from '../record.ts';
import type { Summary } from '../runner/runner.ts';
import { summaryText } from '../text.ts';
import { seconds } from './outcome.ts';

const STATE_LABEL: Record<string, string> = { approved: 'approved', rejected: 'rejected', pending: 'pending (commented)' };

/** Adds the approval and audit-trail sections; the caller writes the summary. */
export function composeAuditSection(summary: Summary, audit: RunReport): Summary {
  const text = (value: string): string => summaryText(value, audit.masked);
  const code = (value: string): string => `<code>${text(value)}</code>`;
  const login = (who: { login: string; id?: number | undefined } | undefined): string =>
    who ? `${text(`@${who.login}`)}${who.id === undefined ? '' : ` (id ${who.id})`}` : 'a deleted account';
  const approval = audit.approval;
  const approvers = approval?.approvers.map((a) => `${login(a)}, ${text(a.role || a.permission)}${a.at ? ` at ${text(a.at)}` : ''}`).join('; ');

  summary.addHeading('Approval', 3);
  const facts: string[][] = [['Required', approval ? code(`require-approval: ${approval.mode}`) : 'not checked: the run stopped first']];
  if (approval && approval.mode !== 'none') {
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
    facts.push(['IAM user tag', `${code(key)} ${verdict} the requester ${login({ login: requester.login, id: requester.id })}`]);
  }
  summary.addTable(facts.map(([name = '', value = '']) => [{ data: name, header: true }, value]));
  if (approval?.mode === 'environment' && approval.runApprovals.length > 0) {
    summary.addTable([
      ['Reviewer', 'Decision', 'Environments', 'Comment'].map((data) => ({ data, header: true })),
      ...approval.runApprovals.map((entry) => [
        login(entry.reviewer),
        text(STATE_LABEL[entry.state] ?? entry.state),
        text(entry.environments.join(', ')),
        text(entry.comment),
      ]),
    ]);
  }

  summary.addHeading('Audit trail', 3);
  const session = audit.sessionName;
  summary.addTable([
    [{ data: 'Action version', header: true }, text(audit.version)],
    [
      { data: 'Role session name', header: true },
      session
        ? `${code(session.name)} (${session.from === 'default' ? "the action's default" : 'set by the workflow in role-session-name'})`
        : 'none: no role was assumed',
    ],
  ]);
  if (audit.changes.length > 0) {
    summary.addTable([
      ['AWS call', 'Device', 'Request id (CloudTrail requestID)', 'Result'].map((data) => ({ data, header: true })),
      ...audit.changes.map((change) => [
        text(change.operation),
        code(change.serial),
        change.requestId ? code(change.requestId) : 'none received',
        text(change.attempts > 1 ? `${change.outcome} (${change.attempts} attempts)` : change.outcome),
      ]),
    ]);
  }
  if (audit.retried.length > 0) {
    summary.addTable([
      ['AWS call retried', 'Device', 'Each attempt', 'Backoff'].map((data) => ({ data, header: true })),
      ...audit.retried.map((call) => [text(call.call), call.serial ? code(call.serial) : '', text(call.attempts.join(', ')), text(seconds(call.waitedMs))]),
    ]);
  }
  return summary;
}
