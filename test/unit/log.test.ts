import { describe, expect, it } from 'vitest';
import { escapeLog } from '../../src/text.ts';

/** The runner's rule: a stdout line whose trimmed start is `::` or `##[` is a workflow command. */
const commandLines = (text: string): string[] => text.split(/\r\n|\r|\n/).filter((line) => /^\s*(::|##\[)/.test(line));

describe('escapeLog', () => {
  it.each([
    {
      name: 'plain text is kept',
      input: 'Acting as arn:aws:sts::123456789012:assumed-role/r/s.',
      expected: 'Acting as arn:aws:sts::123456789012:assumed-role/r/s.',
    },
    { name: 'a newline before a command', input: 'Device GAHT1\n::warning::x: deactivated.', expected: 'Device GAHT1\\n::warning::x: deactivated.' },
    { name: 'CR and CRLF', input: 'a\r::add-mask::b\r\n::set-output name=r::x', expected: 'a\\r::add-mask::b\\r\\n::set-output name=r::x' },
    { name: 'Unicode line breaks and NEL', input: 'a\u2028b\u2029c\u0085d', expected: 'a\\u2028b\\u2029c\\u0085d' },
    { name: 'ANSI escapes and other controls', input: '\u001b[31mred\u0000', expected: '\\u001b[31mred\\u0000' },
    { name: 'backslash, so escapes stay unambiguous', input: 'a\\nb', expected: 'a\\\\nb' },
    { name: 'a leading command', input: '::stop-commands::pwned', expected: '\\u003a:stop-commands::pwned' },
    { name: 'a leading command after spaces', input: '  ::error::x', expected: '  \\u003a:error::x' },
    { name: 'a leading legacy command', input: '##[error]x', expected: '\\u0023#[error]x' },
    { name: 'tabs are kept', input: 'a\tb', expected: 'a\tb' },
  ])('$name', ({ input, expected }) => {
    expect(escapeLog(input)).toBe(expected);
    expect(commandLines(escapeLog(input))).toEqual([]);
  });
});
