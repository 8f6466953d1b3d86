// `it` with a stand-in of its own for each test (`async ({ standin, expect }) => …`), so the tests of
// a file may run at the same time (describe.concurrent): most of their time is spent waiting for
// retries, back-offs and deadlines, not computing.
import { it } from 'vitest';
import { type Standin, startStandin } from '../../standin/index.ts';

export const standinTest = it.extend<{ standin: Standin }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its first parameter
  standin: async ({}, use) => {
    const standin = await startStandin();
    await use(standin);
    await standin.close();
  },
});
