// What a build of dist/ was made from, and what it made: scripts/build.ts writes both digests to
// dist/build.json; the end-to-end tests' set-up (test/setup/fresh-build.ts) rebuilds only when either
// no longer matches, so `npm test` never runs a bundle older than src/ (or edited by hand), and a
// fresh clone, whose dist/ is current, does not spend a build on it. CI still builds afresh and
// compares (.ci/run).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Everything the bundle is made of: the sources, the build's own code and options, and the locked dependencies. */
const INPUTS = ['src', 'build', 'scripts/build.ts', 'tsconfig.json', 'package.json', 'package-lock.json'];
export const STAMP = 'build.json';

interface BuildStamp {
  inputs: string;
  outputs: string;
}

function files(root: string, path: string): string[] {
  const full = join(root, path);
  try {
    return readdirSync(full, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return [path];
    throw error;
  }
}

/** SHA-256 over the files' paths and contents, in path order. */
function digest(root: string, paths: string[]): string {
  const hash = createHash('sha256');
  for (const path of paths.map((path) => path.split('\\').join('/')).sort()) {
    const content = readFileSync(join(root, path));
    hash.update(`${path}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
}

/** The digests of the build inputs under `root` and of the dist/ files (all but the stamp). */
export function fingerprint(root: string): BuildStamp {
  return {
    inputs: digest(
      root,
      INPUTS.flatMap((path) => files(root, path)),
    ),
    outputs: digest(
      root,
      files(root, 'dist').filter((path) => path !== join('dist', STAMP)),
    ),
  };
}

/** The stamp dist/ carries, or undefined when it has none or cannot be read. */
export function readStamp(root: string): BuildStamp | undefined {
  try {
    return JSON.parse(readFileSync(join(root, 'dist', STAMP), 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}
