// What a new adopter or contributor meets first: the Marketplace listing, the top of the README,
// and the Node version the README and CONTRIBUTING.md promise.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryRoot } from '../../scripts/workflow-files.ts';

const ROOT = repositoryRoot();
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const readme = read('README.md');
const headings = new MarkdownIt()
  .parse(readme, {})
  .filter((token) => token.type === 'heading_open')
  .map((token, i, all) => ({ level: Number(token.tag.slice(1)), line: (token.map?.[0] ?? 0) + 1, index: i, all }));
const headingText = (line: number): string => readme.split('\n')[line - 1]?.replace(/^#+\s*/, '') ?? '';

describe('the Marketplace listing', () => {
  it("action.yml's description fits the Marketplace's 125 characters", () => {
    const { description } = parse(read('action.yml')) as { description: string };
    expect(description.length).toBeGreaterThan(20);
    expect(description.length).toBeLessThanOrEqual(125);
  });
});

describe('the top of the README', () => {
  const lines = readme.split('\n');
  it('shows a plain `- uses: mfa-actions/deactivate-iam-mfa@v1` step before any section', () => {
    const step = lines.findIndex((line) => line === '- uses: mfa-actions/deactivate-iam-mfa@v1');
    const firstSection = lines.findIndex((line) => line.startsWith('## '));
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(firstSection);
  });

  it('lists what you need, then opens its set-up with the choice of approval by plan and visibility', () => {
    const sections = headings.filter((h) => h.level === 2).map((h) => headingText(h.line));
    expect(sections.slice(0, 2)).toEqual(['What you need', 'Set up']);
    const setUp = headings.find((h) => headingText(h.line) === 'Set up')!;
    const firstStep = headings.find((h) => h.level === 3 && h.line > setUp.line)!;
    expect(headingText(firstStep.line)).toMatch(/approval.*plan/i);
    const table = readme.slice(readme.indexOf(headingText(firstStep.line)), readme.indexOf('### 2.'));
    for (const words of ['Enterprise', 'Free, Pro or Team', 'Pro or Team', 'private', 'public', 'mfa-request.yml', '`pull-request`'])
      expect(table).toContain(words);
  });

  it('keeps its quick start', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });

  it('holds no file map of src/', () => {
    expect(readme).not.toMatch(/`src\/[\w-]+\.ts`/);
  });
});

describe('the Node a contributor needs', () => {
  const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
  const major = /^>=(\d+)$/.exec(engines)?.[1];

  it("README.md and CONTRIBUTING.md state package.json's engines", () => {
    expect(major).toBeDefined();
    expect(readme).toContain(`Node ${major} or newer`);
    expect(read('CONTRIBUTING.md')).toContain(`Node ${major} or newer`);
  });

  it('npm runs every script, test and tool on the pinned Node 24, whatever Node runs npm', () => {
    const npmNode = execFileSync('npm', ['exec', '--', 'node', '-p', 'process.versions.node'], { cwd: ROOT, encoding: 'utf8' }).trim();
    expect(npmNode.split('.')[0]).toBe('24');
  });
});
