// Everything the action prints. The runner reads every stdout line whose trimmed start is `::`
// (or `##[`) as a workflow command, so a line break or a leading `::` in an ARN, a serial or an
// AWS message could issue commands (add-mask, set-output, stop-commands, warnings) as the action.
// Each message goes through escapeLog() whole, so it stays one line that starts as written.
import * as core from '@actions/core';

// Characters that end a line for the runner or a log viewer (CR, LF, NEL, LS, PS), and the other
// control characters (ANSI escapes could restyle or hide what the log shows).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\\]/g;
const COMMAND_START = /^(\s*)(::|##\[)/;

const SHORT: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r' };

/**
 * One log line from a message that may hold outside text: backslash, line breaks and control
 * characters written as JavaScript-style escapes (`\n`, `\u2028`), and a leading `::` or `##[`
 * broken up, so the runner never reads it as a command. Tabs and ordinary text are kept.
 */
export function escapeLog(message: string): string {
  const oneLine = message.replace(UNPRINTABLE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return oneLine.replace(
    COMMAND_START,
    (_, space: string, marker: string) => `${space}\\u${marker.charCodeAt(0).toString(16).padStart(4, '0')}${marker.slice(1)}`,
  );
}

export const info = (message: string): void => core.info(escapeLog(message));
export const warning = (message: string): void => core.warning(escapeLog(message));
/** The run's failure: an `::error::` annotation and exit code 1. */
export const fail = (message: string): void => core.setFailed(escapeLog(message));
