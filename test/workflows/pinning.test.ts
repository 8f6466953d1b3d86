// Pins: every third-party action in the shipped workflows is pinned by full commit SHA (with its
// version in a comment), and the reusable workflows run the action at their own commit, so a
// caller who pins a reusable workflow pins the action it runs too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource, repositoryRoot, stepsOf, yamlSources } from '../../scripts/workflow-files.ts';

const ROOT = repositoryRoot();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
const REPOSITORY = /github\.com\/([^/]+\/[^/.]+)/.exec(pkg.repository.url)?.[1] ?? '';
const workflows = yamlSources()
  .filter((source) => source.kind === 'workflow')
  .map(parseSource);

/** `uses:` lines of a workflow's text: the value and its trailing comment. */
function usesLines(text: string): { uses: string; comment: string }[] {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)[ \t]*(?:#[ \t]*(.*))?$/gm)].map(([, uses, comment]) => ({ uses: uses ?? '', comment: comment ?? '' }));
}

/** Problems with the pins of one workflow's text. */
function pinProblems(text: string): string[] {
  const problems: string[] = [];
  for (const { uses, comment } of usesLines(text)) {
    if (uses.startsWith('./') || uses.startsWith('docker://')) continue;
    // This repository's own action and reusable workflows: the release tags them (test/workflows/release.test.ts).
    if (uses.startsWith(`${REPOSITORY}@`) || uses.startsWith(`${REPOSITORY}/`)) continue;
    if (!/@[0-9a-f]{40}$/.test(uses)) problems.push(`${uses}: not pinned by a full commit SHA`);
    else if (!/^v\d+(\.\d+){0,2}\b/.test(comment)) problems.push(`${uses}: no "# vX.Y.Z" comment naming the version`);
  }
  return problems;
}

describe('third-party actions are pinned by commit SHA', () => {
  it('finds the workflows, the scanning ones included', () => {
    const files = workflows.map((source) => source.file);
    for (const file of ['ci.yml', 'release.yml', 'codeql.yml', 'dependency-review.yml', 'scorecard.yml', 'live-aws.yml']) {
      expect(files).toContain(`.github/workflows/${file}`);
    }
  });

  for (const source of workflows) it(source.file, () => expect(pinProblems(source.text)).toEqual([]));

  it('the check finds a tag, a short SHA and a missing version comment', () => {
    expect(
      pinProblems(
        [
          '      - uses: actions/checkout@v4',
          '      - uses: actions/checkout@3d3c42e',
          `      - uses: actions/checkout@${'a'.repeat(40)}`,
          '      - uses: ./',
        ].join('\n'),
      ),
    ).toEqual([
      'actions/checkout@v4: not pinned by a full commit SHA',
      'actions/checkout@3d3c42e: not pinned by a full commit SHA',
      `actions/checkout@${'a'.repeat(40)}: no "# vX.Y.Z" comment naming the version`,
    ]);
  });

  it('one action, one pin: the same action is not pinned to two commits', () => {
    const pins = new Map<string, Set<string>>();
    for (const source of workflows) {
      for (const { uses } of usesLines(source.text)) {
        const [action = '', ref = ''] = uses.split('@');
        if (/^[0-9a-f]{40}$/.test(ref)) pins.set(action, new Set([...(pins.get(action) ?? []), ref]));
      }
    }
    expect([...pins].filter(([, refs]) => refs.size > 1).map(([action]) => action)).toEqual([]);
  });
});

describe('the reusable workflows run the action at their own commit', () => {
  for (const file of ['.github/workflows/mfa-reset.yml', '.github/workflows/mfa-self-service.yml']) {
    it(file, () => {
      const source = workflows.find((s) => s.file === file)!;
      const steps = stepsOf(source.data).map((ref) => ref.step);
      const checkout = steps.findIndex((step) => String(step['uses']).startsWith('actions/checkout@'));
      const action = steps.findIndex((step) => step['id'] === 'reset');
      const fetched = steps[checkout]?.['with'] as Record<string, string> | undefined;
      expect(fetched).toMatchObject({ repository: REPOSITORY, ref: '${{ github.job_workflow_sha }}', 'persist-credentials': false });
      expect(checkout).toBeGreaterThanOrEqual(0);
      expect(action).toBeGreaterThan(checkout);
      expect(steps[action]?.['uses']).toBe(`./${fetched?.['path']}`);
      // Nothing runs the published action at a floating tag.
      expect(source.text).not.toMatch(new RegExp(`uses: ${REPOSITORY}@`));
    });
  }
});
