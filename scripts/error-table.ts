// docs/TROUBLESHOOTING.md's table of every AWS error, generated from src/aws/error-table.ts, so the
// document and the classifier never disagree (test/unit/error-table.test.ts checks it).
// `node scripts/error-table.ts --write` rewrites the section; without --write it prints it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_TABLE, type ErrorRow } from '../src/aws/error-table.ts';
import { MAX_ATTEMPTS } from '../src/aws/retry.ts';

export const DOC = join(import.meta.dirname, '../docs/TROUBLESHOOTING.md');
const START = '<!-- error-table: generated from src/aws/error-table.ts by `node scripts/error-table.ts --write`; a test checks it -->';
const END = '<!-- error-table: end -->';

const ACTION: Record<ErrorRow['action'], string> = { retry: 'retried', report: 'reported', done: 'done' };
const PACE = {
  throttling: `retried: the SDK's backoff for throttling (up to ${MAX_ATTEMPTS} attempts)`,
  transient: `retried: the SDK's backoff (up to ${MAX_ATTEMPTS} attempts)`,
  settling: `retried: 1, 2, 4, 8 s (up to ${MAX_ATTEMPTS} attempts)`,
} as const;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function codeCell(row: ErrorRow): string {
  const also = row.also?.length ? ` (also ${row.also.map((code) => `\`${code}\``).join(', ')})` : '';
  const says = row.says ? `: "…${row.says}…"` : '';
  return `\`${row.code}\`${says}${also}`;
}

function callsCell(row: ErrorRow): string {
  return row.on === 'every' ? 'any' : row.on.map((call) => `\`${call}\``).join(', ');
}

/** The section, markers included. */
function errorTableSection(): string {
  const lines = [
    START,
    '',
    "| AWS's answer | Calls | The action | What it means, what to do |",
    '| --- | --- | --- | --- |',
    ...ERROR_TABLE.map(
      (row) => `| ${cell(codeCell(row))} | ${cell(callsCell(row))} | ${row.pace ? PACE[row.pace] : ACTION[row.action]} | ${cell(row.explanation)} |`,
    ),
    '',
    END,
  ];
  return lines.join('\n');
}

/** The document with its section replaced by the generated one. */
export function withErrorTable(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`${DOC} has no error-table section (its markers are missing)`);
  return `${doc.slice(0, start)}${errorTableSection()}${doc.slice(end + END.length)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--write')) writeFileSync(DOC, withErrorTable(readFileSync(DOC, 'utf8')));
  else console.log(errorTableSection());
}
