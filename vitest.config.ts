import { defineConfig } from 'vitest/config';

// The end-to-end tests start the built action as a child process; give them room on a busy machine.
const timeouts = { testTimeout: 30_000, hookTimeout: 30_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'default', include: ['test/**/*.test.ts'], ...timeouts } },
      // Every end-to-end scenario again with step debug logging on (RUNNER_DEBUG=1): the leak checks must hold there too.
      { test: { name: 'debug', include: ['test/e2e/**/*.e2e.test.ts'], env: { E2E_RUNNER_DEBUG: '1' }, ...timeouts } },
    ],
  },
});
