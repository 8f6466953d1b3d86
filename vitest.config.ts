import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests start the built action as a child process; give them room on a busy machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'default' } },
      // Every end-to-end scenario again with step debug logging on (RUNNER_DEBUG=1): the leak checks must hold there too.
      { extends: true, test: { name: 'debug', include: ['test/e2e/**/*.e2e.test.ts'], env: { E2E_RUNNER_DEBUG: '1' } } },
    ],
  },
});
