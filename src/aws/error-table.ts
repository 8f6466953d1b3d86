// Every AWS error the action can meet, and what it does about each: the one table the classifier
// (errors.ts), the retry strategy (retry.ts), the messages and docs/TROUBLESHOOTING.md all read.
// For each call the action makes, every error AWS's service model lists for it has a row (a unit
// test derives the list from botocore's models and the SDK's own), and so do AWS's common errors
// and the SDK's network errors. Pure data: the rows are in error-rows-*.ts, their shape in error-kinds.ts.
import { type ErrorRow, type Operation, OPERATIONS } from './error-kinds.ts';
import { COMMON } from './error-rows-common.ts';
import { MODELED } from './error-rows-modeled.ts';

export type { ErrorAction, ErrorRow, Operation, RetryPace } from './error-kinds.ts';
export { OPERATIONS } from './error-kinds.ts';

export const ERROR_TABLE: readonly ErrorRow[] = [...MODELED, ...COMMON];

/**
 * The row for an error: by its code (AWS's, or the SDK's class name for a modeled error), the call
 * it answered (when known) and AWS's message. The first row that fits wins.
 */
export function errorRow(code: string, message: string, operation?: string): ErrorRow | undefined {
  const known = (OPERATIONS as readonly string[]).includes(operation ?? '') ? (operation as Operation) : undefined;
  return ERROR_TABLE.find(
    (row) =>
      (row.code === code || row.sdkName === code || row.also?.includes(code)) &&
      (known === undefined || row.on === 'every' || row.on.includes(known)) &&
      (row.says === undefined || words(message).includes(words(row.says))),
  );
}

const words = (text: string): string => text.replace(/\s+/g, ' ').toLowerCase();
