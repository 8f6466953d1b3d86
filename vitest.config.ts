import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests that start servers or processes: room for a busy machine.
const timeouts = { testTimeout: 30_000, hookTimeout: 30_000 };
const SDK_CLIENT_TESTS = ['test/unit/bounds.test.ts', 'test/unit/credentials.test.ts', 'test/unit/refusals.test.ts', 'test/unit/retry.test.ts'];

export default defineConfig({
  test: {
    // Much of the suite waits (child processes, sockets, retry back-offs, deadlines) rather than
    // computes: twice as many workers as cores keeps both busy (vitest's default is cores - 1).
    maxWorkers: 2 * availableParallelism(),
    // Rebuilds a stale dist/ (once, whichever projects run) while the first tests run; the files that
    // run dist/ wait for it (test/setup/await-build.ts).
    globalSetup: ['test/setup/fresh-build.ts'],
    projects: [
      // Pure rules, tables and documents: one module graph for all of them (no file changes global state).
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/workflows/**/*.test.ts', 'test/adoption/**/*.test.ts'],
          exclude: SDK_CLIENT_TESTS,
          isolate: false,
          ...timeouts,
        },
      },
      // Unit tests of the SDK's own clients: aws-sdk-client-mock replaces a client class's send, so
      // each file gets its own module graph (a mock left in one must never answer another's calls).
      { test: { name: 'sdk', include: SDK_CLIENT_TESTS, ...timeouts } },
      // run() in process against the stand-in: real SDK clients, an in-memory runner, a deadline that
      // ends on cue. Each test has its own stand-in and runner, so the files share one module graph.
      { test: { name: 'run', include: ['test/run/**/*.test.ts'], isolate: false, ...timeouts } },
      // The stand-in's own tests (some drive it with the AWS CLI), and what runs against it in isolation:
      // the templates' defaults evaluated by its STS.
      { test: { name: 'standin', include: ['test/standin/**/*.test.ts', 'test/examples/**/*.test.ts'], ...timeouts } },
      // The live workflow against the stand-in: the AWS CLI steps, and `uses: ./` steps that run dist/.
      // Early, beside the stand-in's tests, which leave CPU to spare; it waits for the build.
      { test: { name: 'live', include: ['test/live/**/*.test.ts'], setupFiles: ['test/setup/await-build.ts'], ...timeouts } },
      // The built action as a process: after the projects above (a later group), each file waiting for the build.
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          setupFiles: ['test/setup/await-build.ts'],
          sequence: { groupOrder: 1 },
          ...timeouts,
        },
      },
    ],
  },
});
