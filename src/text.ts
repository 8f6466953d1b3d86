// Text for people: the one place outside text (inputs, AWS and GitHub answers, logins, serials) is
// made safe for where it goes (a log line, the job summary, a quoted value in a message, a regular
// expression), and the few words every message shares.

/** A character as a JavaScript-style escape: `\u2028`. */
const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

// The runner reads every stdout line whose trimmed start is `::` (or `##[`) as a workflow command,
// so a line break or a leading `::` in an ARN, a serial or an AWS message could issue commands
// (add-mask, set-output, stop-commands) as the action. Characters that end a line for the runner
// or a log viewer (CR, LF, NEL, LS, PS), and the other control characters (ANSI escapes could
// restyle or hide what the log shows), are escaped.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\\]/g;
const COMMAND_START = /^(\s*)(::|##\[)/;
const SHORT: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r' };

/**
 * One log line from a message that may hold outside text: backslash, line breaks and control
 * characters written as escapes (`\n`, `\u2028`), and a leading `::` or `##[` broken up, so the
 * runner never reads it as a command. Tabs and ordinary text are kept.
 */
export function escapeLog(message: string): string {
  const oneLine = message.replace(UNPRINTABLE, (c) => SHORT[c] ?? unicodeEscape(c));
  return oneLine.replace(COMMAND_START, (_, space: string, marker: string) => `${space}${unicodeEscape(marker)}${marker.slice(1)}`);
}

/**
 * A value as an error message may quote it: JSON-escaped, with every non-ASCII character as a
 * \u escape (a lookalike or zero-width character shows), cut to 64 characters.
 */
export function show(value: string): string {
  const shown = JSON.stringify(value.slice(0, 64)).replace(/[^ -~]/g, unicodeEscape);
  return value.length > 64 ? `${shown}... (${value.length} characters)` : shown;
}

/** `text` matched literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
 * The one way outside text enters the summary: masked values hidden, cut to a sane length, and
 * every line break and markup character written as a numeric character reference.
 */
export function summaryText(value: string, masked: readonly string[]): string {
  const visible = redact(value, masked);
  const cut = visible.length > MAX_VALUE_LENGTH ? `${visible.slice(0, MAX_VALUE_LENGTH)}… (${visible.length - MAX_VALUE_LENGTH} more characters)` : visible;
  return cut.replace(MARKUP, (c) => `&#${c.charCodeAt(0)};`);
}

/** "1 device", "2 devices". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
