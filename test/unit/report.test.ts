import * as core from '@actions/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { deviceKind } from '../../src/aws/devices.ts';
import MarkdownIt from 'markdown-it';
import type { DeviceResult, MfaDevice, RunContext, RunReport } from '../../src/record.ts';
import { deviceOutcome } from '../../src/report/outcome.ts';
import { outputsOf } from '../../src/report/outputs.ts';
import { composeSummary } from '../../src/report/summary.ts';
import { redact, summaryText } from '../../src/text.ts';
import { emptyReport, RUN } from './records.ts';

const VIRTUAL = 'arn:aws:iam::123456789012:mfa/alice';
const HARDWARE = 'GAHT12345678';
const NO_APPROVAL = { approvals: '[]', 'pull-request': '' };

const device = (serial: string): MfaDevice => ({ serial, kind: deviceKind(serial), enabledAt: new Date('2025-01-02T03:04:05Z') });

function entry(serial: string, deactivation: DeviceResult['deactivation'], deletion?: DeviceResult['deletion'], problem?: string): DeviceResult {
  return { device: device(serial), deactivation, deletion, problem };
}

function record(overrides: Partial<RunReport>): RunReport {
  return {
    ...emptyReport(),
    userName: 'alice',
    acting: { source: 'oidc-role', arn: 'arn:aws:sts::123456789012:assumed-role/admin/gh-octocat-7-1' },
    ...overrides,
  };
}

describe('outputsOf', () => {
  const rows: { name: string; record: RunReport; expected: Record<string, string> }[] = [
    {
      name: 'nothing to do',
      record: record({}),
      expected: {
        result: 'nothing-to-do',
        'planned-devices': '[]',
        'deactivated-devices': '[]',
        'deleted-devices': '[]',
        'remaining-devices': '[]',
        'step-up-used': 'false',
        ...NO_APPROVAL,
      },
    },
    {
      name: 'dry run',
      record: record({ dryRun: true, devices: [entry(VIRTUAL, undefined)] }),
      expected: {
        result: 'dry-run',
        'planned-devices': `["${VIRTUAL}"]`,
        'deactivated-devices': '[]',
        'deleted-devices': '[]',
        'remaining-devices': `["${VIRTUAL}"]`,
        'step-up-used': 'false',
        ...NO_APPROVAL,
      },
    },
    {
      name: 'all done with step-up and deletion',
      record: record({
        devices: [entry(VIRTUAL, 'deactivated', 'deleted'), entry(HARDWARE, 'already-removed')],
        stepUp: { arn: 'arn:aws:iam::123456789012:user/alice', device: device(VIRTUAL) },
      }),
      expected: {
        result: 'deactivated',
        'planned-devices': `["${VIRTUAL}","${HARDWARE}"]`,
        'deactivated-devices': `["${VIRTUAL}","${HARDWARE}"]`,
        'deleted-devices': `["${VIRTUAL}"]`,
        'remaining-devices': '[]',
        'step-up-used': 'true',
        ...NO_APPROVAL,
      },
    },
    {
      name: 'partial failure',
      record: record({ error: 'boom', devices: [entry(VIRTUAL, 'deactivated'), entry(HARDWARE, 'failed', undefined, 'LimitExceeded')] }),
      expected: {
        result: 'failed',
        'planned-devices': `["${VIRTUAL}","${HARDWARE}"]`,
        'deactivated-devices': `["${VIRTUAL}"]`,
        'deleted-devices': '[]',
        'remaining-devices': `["${HARDWARE}"]`,
        'step-up-used': 'false',
        ...NO_APPROVAL,
      },
    },
  ];
  it.each(rows)('$name', ({ record: r, expected }) => expect(outputsOf(r)).toEqual(expected));
});

describe('deviceOutcome', () => {
  it.each([
    { entry: entry(VIRTUAL, 'deactivated'), dryRun: false, expected: 'deactivated' },
    { entry: entry(VIRTUAL, 'deactivated', 'deleted'), dryRun: false, expected: 'deactivated, and deleted' },
    { entry: entry(VIRTUAL, 'already-removed', 'already-deleted'), dryRun: false, expected: 'already removed by someone else; already deleted' },
    { entry: entry(VIRTUAL, 'deactivated', 'failed', 'DeleteConflict: x'), dryRun: false, expected: 'deactivated; not deleted: DeleteConflict: x' },
    { entry: entry(HARDWARE, 'failed', undefined, 'LimitExceeded: y'), dryRun: false, expected: 'not deactivated: LimitExceeded: y' },
    { entry: entry(HARDWARE, undefined), dryRun: false, expected: 'not deactivated: not attempted, the run stopped first' },
    { entry: entry(HARDWARE, undefined), dryRun: true, expected: 'would be deactivated (dry run)' },
  ])('$expected', ({ entry: e, dryRun, expected }) => expect(deviceOutcome(e, dryRun)).toBe(expected));
});

describe('composeSummary', () => {
  beforeEach(() => {
    core.summary.emptyBuffer();
  });
  const render = (r: RunReport, run: RunContext = RUN): string => composeSummary(core.summary.emptyBuffer(), { ...r, run }).stringify();

  it('lists each device with kind, enable date and outcome, the identity and the run', () => {
    const html = render(
      record({
        devices: [entry(VIRTUAL, 'deactivated'), entry(HARDWARE, 'deactivated')],
        stepUp: { arn: 'arn:aws:iam::123456789012:user/alice', device: device(VIRTUAL) },
      }),
    );
    expect(html).toContain('<h2>IAM MFA: deactivated 2 devices</h2>');
    expect(html).toContain(`<td><code>${HARDWARE}</code></td><td>hardware TOTP</td><td>2025-01-02T03:04:05Z</td><td>deactivated</td>`);
    expect(html).toContain('<td>virtual</td>');
    expect(html).toContain('assumed-role/admin/gh-octocat-7-1</code> (GitHub OIDC role)');
    expect(html).toContain(`used: <code>arn:aws:iam::123456789012:user/alice</code> with <code>${VIRTUAL}</code>`);
    expect(html).toContain('<a href="https://github.com/o/r/actions/runs/7/attempts/1">Reset MFA</a> (workflow_dispatch)');
    expect(html).toContain('One deactivated virtual device remains');
  });

  it('names both the actor and who re-ran it when they differ', () => {
    expect(render(record({}), { ...RUN, triggeringActor: 'hubot' })).toContain('<td>octocat (re-run by hubot)</td>');
    expect(render(record({}))).toContain('<td>octocat</td>');
  });

  it('hides masked values and escapes what came from outside', () => {
    const html = render(
      record({
        masked: ['alice', '123456789012'],
        error: 'AccessDenied: <script>alert("alice")</script> & more',
        devices: [entry(VIRTUAL, 'failed', undefined, 'x')],
      }),
    );
    expect(html).not.toContain('alice');
    expect(html).not.toContain('123456789012');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(&#34;***&#34;)&#60;/script&#62; &#38; more');
    expect(html).toContain('<code>arn:aws:iam::***:mfa/***</code>');
    expect(html).toContain('are still active. Running the workflow again');
  });

  it('says when the inputs were never read', () => {
    expect(render(emptyReport({ error: 'Input user-name is required.' }))).toContain('<th>IAM user</th><td>not read</td>');
  });
});

describe('redact', () => {
  it.each([
    { value: 'alice and alice2', masked: ['alice', 'alice2'], expected: '*** and ***' },
    { value: 'nothing here', masked: ['alice'], expected: 'nothing here' },
    { value: 'x', masked: [''], expected: 'x' },
  ])('$value', ({ value, masked, expected }) => expect(redact(value, masked)).toBe(expected));
});

describe('summaryText', () => {
  it.each([
    { name: 'HTML specials', value: `<a href="x">'&'</a>`, expected: '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;' },
    { name: 'line breaks of every kind', value: 'a\n\nb\r\nc\u2028d\u0085e', expected: 'a&#10;&#10;b&#13;&#10;c&#8232;d&#133;e' },
    { name: 'Markdown image, link, heading', value: '![x](http://e) [l](x) # h', expected: '&#33;&#91;x&#93;(http://e) &#91;l&#93;(x) &#35; h' },
    { name: 'code, tables, strike, escapes; emphasis marks kept', value: '`|~\\*_', expected: '&#96;&#124;&#126;&#92;*_' },
    { name: 'an ARN stays readable', value: 'arn:aws:iam::123456789012:mfa/phone-1', expected: 'arn:aws:iam::123456789012:mfa/phone-1' },
    { name: 'masked first, then escaped', value: 'user <al#ce>', masked: ['al#ce'], expected: 'user &#60;***&#62;' },
    { name: 'over-long values are cut', value: 'x'.repeat(2005), expected: `${'x'.repeat(2000)}… (5 more characters)` },
  ])('$name', ({ value, masked, expected }) => expect(summaryText(value, masked ?? [])).toBe(expected));
});

// GitHub renders the summary as GitHub-flavoured Markdown with HTML allowed; markdown-it with
// html and linkify on is a CommonMark renderer that reads it the same way.
const markdown = new MarkdownIt({ html: true, linkify: true });
const elementsOf = (html: string): string[] => [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map(([tag]) => tag);

describe('composeSummary rendered as GitHub renders it', () => {
  const HOSTILE = [
    '\n\n![x](http://e.example/i.png)',
    '<img src=x onerror=alert(1)>',
    '\n\n# heading\n\n[link](http://e.example) www.e.example',
    '\r\n\r\n<script>alert(1)</script>\n\n---\n\n| a | b |\n|---|---|\n| c | d |',
    ' \n \n> quote\n\n- item\n\n```\ncode\n```',
  ];
  const hostile = (i: number): string => `v${i}${HOSTILE[i % HOSTILE.length]}`;
  // The same run with every outside value hostile, and with every one plain.
  const runOf = (value: (i: number) => string): { record: RunReport; run: RunContext } => ({
    record: record({
      userName: value(0),
      error: value(1),
      acting: { source: 'user-keys', arn: value(2) },
      stepUp: { arn: value(3), device: { serial: value(4), kind: 'virtual', enabledAt: undefined } },
      devices: [entry(value(5), 'failed', undefined, value(6)), entry(value(7), 'deactivated'), entry(VIRTUAL, 'unknown', undefined, value(8))],
    }),
    run: { actor: value(9), triggeringActor: value(10), runUrl: `https://github.com/o/r/${value(11)}`, workflow: value(12), eventName: value(13) },
  });
  const rendered = ({ record: r, run }: { record: RunReport; run: RunContext }): string =>
    markdown.render(composeSummary(core.summary.emptyBuffer(), { ...r, run }).stringify());

  it('renders no element the action did not write, whatever the outside values hold', () => {
    const plain = rendered(runOf((i) => `v${i}`));
    const attacked = rendered(runOf(hostile));
    expect(elementsOf(attacked)).toEqual(elementsOf(plain));
    expect(elementsOf(attacked)).not.toContain('<img');
    expect(elementsOf(attacked)).not.toContain('<p');
    // Every hostile value is still shown, as text.
    expect(attacked).toContain('<blockquote>v1&#60;img src=x onerror=alert(1)&#62;</blockquote>');
  });

  it('is one HTML block: no blank line for Markdown to start from', () => {
    const raw = composeSummary(core.summary.emptyBuffer(), { ...runOf(hostile).record, run: runOf(hostile).run }).stringify();
    expect(raw.split('\n').filter((line) => line.trim() === '')).toEqual(raw.endsWith('\n') ? [''] : []);
  });
});
