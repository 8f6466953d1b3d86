// `npm run demo` is the README's first command: it must keep working and keep showing the truth.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderLog, renderSummary } from '../../scripts/render.ts';
import { NODE24 } from '../../standin/runner.ts';

describe('npm run demo', () => {
  it('runs both paths against the stand-in and ends with no device left on alice or bob', async () => {
    const { stdout } = await promisify(execFile)(NODE24, ['scripts/demo.ts'], { env: { PATH: process.env['PATH'] ?? '' } });

    const after = stdout.slice(stdout.indexOf('MFA devices after'));
    expect(after).toContain('alice: no MFA device');
    expect(after).toContain('bob: no MFA device');
    expect(stdout).toContain('step-up-used = true');
    expect(stdout).toContain('Environment approval by @octo-reviewer (write).');
    expect(stdout).toMatch(/@octo-reviewer \(id \d+\)\s+approved\s+iam-admin\s+Verified by video call/);
    expect(stdout).toMatch(/actions\.getReviewsForRun\s+token-1\s+ok/);
    expect(stdout).toMatch(/GetSessionToken\s+user\/bob\s+ok/);
    expect(stdout).not.toContain('::add-mask::');
    expect(stdout.match(/Exit code 0; GITHUB_ENV left empty/g)).toHaveLength(2);
  });
});

describe('render', () => {
  it('shows the log as the runner does: masks applied, commands consumed, annotations labelled', () => {
    const log = ['::add-mask::s3cret', '::debug::hidden', 'using s3cret here', '::error::bad%0Anews for s3cret', ''].join('\n');
    expect(renderLog(log)).toBe('using *** here\nError: bad\nnews for ***');
  });

  it('turns the summary HTML into text', () => {
    const html =
      '<h2>Title &#38; more</h2>\n<table><tr><th>A</th><td><code>x</code></td></tr><tr><th>Long</th><td>y</td></tr></table>\n<ul><li>note</li></ul>\n';
    expect(renderSummary(html)).toBe('## Title & more\n\nA     x\nLong  y\n\n- note');
  });
});
