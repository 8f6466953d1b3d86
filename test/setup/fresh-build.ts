// Global set-up of the process-level tests (test/e2e/): they run dist/index.js, so dist/ is rebuilt
// from src/ first (`npm run build`), and no test can run a bundle older than the sources. When the
// committed dist/ was current the build rewrites it unchanged; otherwise `git status` shows what to
// commit. The build starts here and runs while the earlier test groups do (vitest.config.ts runs
// the e2e project last); each e2e file waits for it (test/setup/await-build.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { NODE24 } from '../../standin/runner.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** What the e2e files read: whether the build succeeded, its output, and how long it took. */
export interface BuildOutcome {
  ok: boolean;
  output: string;
  seconds: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file the build's outcome is written to once it ends. */
    freshBuild: string;
  }
}

export default function freshBuild(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fresh-build-'));
  const outcome = join(dir, 'outcome.json');
  const started = performance.now();
  const done = new Promise<void>((finish) => {
    execFile(NODE24, ['scripts/build.ts'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const result: BuildOutcome = {
        ok: !error,
        output: `${stdout}${stderr}${error ? `\n${error.message}` : ''}`,
        seconds: (performance.now() - started) / 1000,
      };
      writeFileSync(outcome, JSON.stringify(result));
      finish();
    });
  });
  project.provide('freshBuild', outcome);
  return async () => {
    await done;
    rmSync(dir, { recursive: true, force: true });
  };
}
