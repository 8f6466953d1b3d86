// docs/TROUBLESHOOTING.md quotes every error the action can report. When a message in src/ is
// added or changed, this fails and lists exactly the messages the document does not quote yet.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorMessages, normalize, signature } from '../../scripts/error-messages.ts';

const ROOT = join(import.meta.dirname, '../..');

/** The signatures of src/'s messages that the document does not contain. */
function unquoted(srcDir: string, doc: string): string[] {
  const text = normalize(doc.replace(/^>\s?/gm, ''));
  const missing = errorMessages(srcDir)
    .map((message) => `${signature(message.text)}   (${message.file}:${message.line})`)
    .filter((entry) => !text.includes(entry.slice(0, entry.lastIndexOf('   ('))));
  return [...new Set(missing)];
}

describe('docs/TROUBLESHOOTING.md', () => {
  it('quotes every error message in src/', () => {
    const messages = errorMessages(join(ROOT, 'src'));
    expect(messages.length).toBeGreaterThan(20);
    expect(unquoted(join(ROOT, 'src'), readFileSync(join(ROOT, 'docs/TROUBLESHOOTING.md'), 'utf8'))).toEqual([]);
  });

  it('names a message that is not quoted, with its place in src/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'messages-'));
    try {
      writeFileSync(
        join(dir, 'thing.ts'),
        [
          "import * as core from '@actions/core';",
          'throw new InputError(\'dry-run\', `cannot be "${value}" here.`);',
          "core.warning('The role session ends before the run can finish.');",
          'function why(code: string): string {',
          "  if (code === 'a') return 'First explanation of the failure.';",
          '  return `Second explanation for ${code}.`;',
          '}',
          'throw new ActionError(why(code));',
          'throw new ActionError(`${reason}`);',
        ].join('\n'),
      );
      const doc = '> Input dry-run cannot be "…" here.\n\nSome text.\n> First explanation\n> of the failure.\n';
      expect(unquoted(dir, doc)).toEqual([
        'The role session ends before the run can finish.   (src/thing.ts:3)',
        'Second explanation for ….   (src/thing.ts:8)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cuts a long message to a quotable signature at a word', () => {
    const long = 'AWS refused the change without an MFA-authenticated session, and the action is acting as …';
    expect(signature(long)).toBe('AWS refused the change without an MFA-authenticated');
    expect(signature('Short message.')).toBe('Short message.');
  });
});
