// dist/build.json decides whether the e2e tests rebuild dist/: every input and every output must move it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../build/fingerprint.ts';

let root: string;

async function put(path: string, content: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), content);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'fingerprint-'));
  for (const path of ['src/main.ts', 'src/aws/reset.ts', 'build/undici-on-demand.ts', 'scripts/build.ts', 'tsconfig.json', 'package.json', 'package-lock.json'])
    await put(path, `// ${path}`);
  await put('dist/index.js', 'bundle');
  await put('dist/build.json', '{}');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('the build stamp', () => {
  it.each(['src/main.ts', 'src/aws/reset.ts', 'build/undici-on-demand.ts', 'scripts/build.ts', 'tsconfig.json', 'package.json', 'package-lock.json'])(
    'a change to %s changes the inputs digest, not the outputs one',
    async (path) => {
      const before = fingerprint(root);
      await put(path, 'changed');
      expect(fingerprint(root).inputs).not.toBe(before.inputs);
      expect(fingerprint(root).outputs).toBe(before.outputs);
    },
  );

  it('a new source file, or one renamed, changes the inputs digest', async () => {
    const before = fingerprint(root).inputs;
    await put('src/new.ts', '');
    const added = fingerprint(root).inputs;
    expect(added).not.toBe(before);
    await rm(join(root, 'src/new.ts'));
    await put('src/other.ts', '');
    expect(fingerprint(root).inputs).not.toBe(added);
  });

  it('an edited or added dist/ file changes the outputs digest; the stamp itself does not', async () => {
    const before = fingerprint(root).outputs;
    await put('dist/build.json', '{"inputs":"x"}');
    expect(fingerprint(root).outputs).toBe(before);
    await put('dist/index.js', 'edited by hand');
    const edited = fingerprint(root).outputs;
    expect(edited).not.toBe(before);
    await put('dist/1.index.js', '');
    expect(fingerprint(root).outputs).not.toBe(edited);
  });

  it('files outside the inputs change nothing', async () => {
    const before = fingerprint(root);
    await put('test/unit/x.test.ts', 'x');
    await put('README.md', 'x');
    expect(fingerprint(root)).toEqual(before);
  });
});
