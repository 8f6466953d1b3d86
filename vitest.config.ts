import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests start the built action as a child process; give them room on a busy machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
