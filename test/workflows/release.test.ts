// The README and the workflows promise only tags the release process makes: the release workflow
// tags vX.Y.Z from package.json's version and moves vX, so every `@vN` of this action or its
// reusable workflow must be that major version, the CHANGELOG must have the version's section, and
// everything must name the repository package.json names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { yamlSources } from '../../scripts/workflow-files.ts';

const ROOT = join(import.meta.dirname, '../..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; repository: { url: string } };
const repository = /github\.com\/([^/]+\/[^/.]+)/.exec(pkg.repository.url)?.[1] ?? '';

/** Every reference to this action (or a workflow in its repository) with a ref, in the given text. */
export function refsTo(repo: string, text: string): string[] {
  const escaped = repo.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  // A job_workflow_ref names the tag as refs/tags/vN.
  return [...text.matchAll(new RegExp(`${escaped}(?:/[\\w./-]+)?@([\\w./-]*[\\w])`, 'g'))].map(([, ref]) => (ref ?? '').replace(/^refs\/tags\//, ''));
}

describe('release promises', () => {
  it('package.json names a concrete repository, and action.yml an author', () => {
    expect(repository).toMatch(/^[\w-]+\/deactivate-iam-mfa$/);
    expect(repository).not.toMatch(/OWNER/i);
    expect((parse(read('action.yml')) as { author?: string }).author).toBeTruthy();
  });

  it("every @ref to this action in the README, docs and workflows is the major tag of package.json's version", () => {
    const major = `v${pkg.version.split('.')[0]}`;
    const texts = [
      read('README.md'),
      read('CONTRIBUTING.md'),
      read('SECURITY.md'),
      ...yamlSources()
        .filter((source) => source.kind === 'workflow')
        .map((source) => source.text),
    ];
    const refs = texts.flatMap((text) => refsTo(repository, text));
    expect(refs.length).toBeGreaterThan(3);
    expect([...new Set(refs)]).toEqual([major]);
    // Nothing still uses a placeholder owner for the action.
    expect(texts.join('\n')).not.toMatch(/OWNER\/deactivate-iam-mfa/);
  });

  it('CHANGELOG.md has the section the release workflow publishes', () => {
    expect(read('CHANGELOG.md')).toContain(`\n## [${pkg.version}]`);
  });

  it('the release workflow tags vX.Y.Z and moves the major tag', () => {
    const release = read('.github/workflows/release.yml');
    expect(release).toContain('gh release create "v$VERSION"');
    expect(release).toContain('major="v${VERSION%%.*}"');
  });
});

interface Job {
  needs?: string | string[];
  permissions?: Record<string, string> | string;
  steps?: { uses?: string; run?: string; with?: Record<string, unknown> }[];
}

/** How the release's jobs split the work: problems a security reviewer would raise. */
function releaseProblems(workflow: { permissions?: unknown; jobs: Record<string, Job> }): string[] {
  const problems: string[] = [];
  if (JSON.stringify(workflow.permissions) !== '{}') problems.push('the workflow grants permissions to every job');
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const grants = typeof job.permissions === 'object' ? job.permissions : {};
    const writes = Object.entries(grants)
      .filter(([, level]) => level === 'write')
      .map(([scope]) => scope);
    const steps = job.steps ?? [];
    const runs = steps.map((step) => step.run ?? '').join('\n');
    const installs = /\bnpm\b|\bnpx\b|\byarn\b|\bpnpm\b/.test(runs) || steps.some((step) => String(step.uses).startsWith('actions/setup-node@'));
    if (typeof job.permissions !== 'object') problems.push(`job ${id} does not list its permissions`);
    if (installs && writes.length > 0) problems.push(`job ${id} installs or runs packages while holding ${writes.join(', ')}: write`);
    for (const line of runs.split('\n').filter((line) => /\bnpm (ci|install|i)\b/.test(line))) {
      if (!line.includes('--ignore-scripts')) problems.push(`job ${id} runs install scripts: ${line.trim()}`);
    }
  }
  const tagging = Object.entries(workflow.jobs).filter(([, job]) => typeof job.permissions === 'object' && job.permissions['contents'] === 'write');
  if (tagging.length !== 1) problems.push(`${tagging.length} jobs may write contents; one should`);
  const attesting = Object.entries(workflow.jobs).filter(([, job]) =>
    (job.steps ?? []).some((step) => String(step.uses).startsWith('actions/attest-build-provenance@')),
  );
  if (attesting.length !== 1) problems.push('no job attests the build provenance');
  for (const [id, job] of attesting) {
    const step = job.steps?.find((s) => String(s.uses).startsWith('actions/attest-build-provenance@'));
    if (step?.with?.['subject-path'] !== 'dist/*') problems.push(`job ${id} attests ${String(step?.with?.['subject-path'])}, not dist/*`);
  }
  for (const [id, job] of tagging) {
    const needs = [job.needs ?? []].flat();
    for (const [other] of attesting) if (!needs.includes(other)) problems.push(`job ${id} tags before ${other} has attested`);
  }
  return problems;
}

describe('the release workflow, as a security reviewer reads it', () => {
  const release = parse(read('.github/workflows/release.yml')) as Parameters<typeof releaseProblems>[0];

  it('builds and tests without write permission or install scripts, attests dist/, and tags in a job that installs nothing', () => {
    expect(releaseProblems(release)).toEqual([]);
  });

  it('the check finds the release workflow this project used to have: one job that installs with scripts, tests and tags', () => {
    const old = {
      permissions: {},
      jobs: {
        release: {
          permissions: { contents: 'write' },
          steps: [
            { uses: 'actions/setup-node@x' },
            { run: 'npm ci --no-audit --no-fund\nnpm run lint' },
            { run: 'npx vitest run' },
            { run: 'gh release create' },
          ],
        },
      },
    };
    expect(releaseProblems(old)).toEqual([
      'job release installs or runs packages while holding contents: write',
      'job release runs install scripts: npm ci --no-audit --no-fund',
      'no job attests the build provenance',
    ]);
  });

  it('CI installs without scripts too', () => {
    const ci = parse(read('.github/workflows/ci.yml')) as Parameters<typeof releaseProblems>[0];
    const installs = Object.values(ci.jobs)
      .flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''))
      .filter((run) => /npm ci/.test(run));
    expect(installs.length).toBeGreaterThan(0);
    for (const run of installs) expect(run).toContain('--ignore-scripts');
  });

  it('finds references in any form', () => {
    expect(
      refsTo('a-b/deactivate-iam-mfa', 'uses: a-b/deactivate-iam-mfa@v2\nuses: a-b/deactivate-iam-mfa/.github/workflows/x.yml@v1.2.3.\nx.yml@refs/tags/v1`'),
    ).toEqual(['v2', 'v1.2.3']);
    expect(refsTo('a-b/deactivate-iam-mfa', '`a-b/deactivate-iam-mfa/.github/workflows/x.yml@refs/tags/v3`')).toEqual(['v3']);
  });
});
