// Set-up of every file that runs dist/ (the e2e and live projects): wait for the build that
// test/setup/fresh-build.ts started, and refuse to run against dist/ if it failed.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, inject } from 'vitest';
import type { BuildOutcome } from './fresh-build.ts';

beforeAll(async () => {
  const file = inject('freshBuild');
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 50));
  const outcome = JSON.parse(readFileSync(file, 'utf8')) as BuildOutcome;
  if (!outcome.ok) throw new Error(`npm run build failed, so dist/ cannot be tested:\n${outcome.output}`);
}, 180_000);
