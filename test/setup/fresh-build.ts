// Global set-up of the suite (vitest.config.ts): the process-level tests (test/e2e/, test/live/) run
// dist/index.js, so no test may run a bundle older than the sources. dist/build.json holds the
// digests of what the last build was made from and what it made (build/fingerprint.ts); when either
// differs from the files here, dist/ is rebuilt (`npm run build`) and `git status` shows what to
// commit. A fresh clone's dist/ is current and is not rebuilt; CI builds afresh after the tests and
// compares (.ci/run). The build runs while the first tests do; each file that runs dist/ waits for
// it (test/setup/await-build.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { fingerprint, readStamp } from '../../build/fingerprint.ts';
import { NODE24 } from '../../standin/runner.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** What the e2e files read: whether dist/ is current (built now or before), and the build's output. */
export interface BuildOutcome {
  ok: boolean;
  output: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file the build's outcome is written to once it ends. */
    freshBuild: string;
  }
}

/** Whether dist/ is what a build of the files here made, untouched since. */
function current(): boolean {
  const stamp = readStamp(ROOT);
  const now = fingerprint(ROOT);
  return stamp?.inputs === now.inputs && stamp.outputs === now.outputs;
}

export default function freshBuild(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fresh-build-'));
  const outcome = join(dir, 'outcome.json');
  // Written whole, then renamed: the e2e files poll for the file and must never read half of it.
  const record = (result: BuildOutcome): void => {
    writeFileSync(`${outcome}.part`, JSON.stringify(result));
    renameSync(`${outcome}.part`, outcome);
  };
  const done = current()
    ? Promise.resolve(record({ ok: true, output: 'dist/ is current' }))
    : new Promise<void>((finish) => {
        execFile(NODE24, ['scripts/build.ts'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
          record({ ok: !error, output: `${stdout}${stderr}${error ? `\n${error.message}` : ''}` });
          finish();
        });
      });
  project.provide('freshBuild', outcome);
  return async () => {
    await done;
    rmSync(dir, { recursive: true, force: true });
  };
}
