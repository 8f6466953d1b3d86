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

  it('finds references in any form', () => {
    expect(
      refsTo('a-b/deactivate-iam-mfa', 'uses: a-b/deactivate-iam-mfa@v2\nuses: a-b/deactivate-iam-mfa/.github/workflows/x.yml@v1.2.3.\nx.yml@refs/tags/v1`'),
    ).toEqual(['v2', 'v1.2.3']);
    expect(refsTo('a-b/deactivate-iam-mfa', '`a-b/deactivate-iam-mfa/.github/workflows/x.yml@refs/tags/v3`')).toEqual(['v3']);
  });
});
