// Step debug logging (RUNNER_DEBUG=1): the runner then shows the `::debug::` lines it otherwise
// hides. Nothing in the action reads RUNNER_DEBUG, so the whole flow need not run twice: these tests
// prove the action writes the same with and without it, and that what `core.debug` prints (the
// toolkit's own lines, such as the OIDC token URL) is only what is expected, and holds no secret.
import { describe, it } from 'vitest';
import { type Standin, startStandin } from '../../standin/index.ts';
import { type ActionRun, leaksOf, maskedFirst, runAction } from '../../standin/runner.ts';
import { adminRole } from '../fixtures/standin.ts';

interface Scenario {
  name: string;
  /** Sets up a fresh stand-in and returns the run's inputs and options. */
  setUp: (standin: Standin) => { inputs: Record<string, string>; options: Parameters<typeof runAction>[1]; secrets: string[] };
  /** The `::debug::` lines the run may print, with the stand-in's address as <endpoint>. */
  debug: string[];
}

const scenarios: Scenario[] = [
  {
    name: 'an OIDC role, with an environment approval read through Octokit',
    setUp: (standin) => {
      const role = adminRole(standin);
      standin.createUser('alice');
      standin.addVirtualMfa('alice', 'phone-1');
      standin.github.collaborator('bob', 'write');
      const run = standin.github.run({ actor: 'octocat' }).approve('bob');
      const token = standin.github.issueToken({ actions: 'read' });
      return {
        inputs: { 'user-name': 'alice', 'role-to-assume': role, 'require-approval': 'environment' },
        options: { endpoint: standin.endpoint, oidc: standin.oidc, github: { apiUrl: standin.github.apiUrl, token }, ...run.runner() },
        secrets: [token],
      };
    },
    debug: ['ID token url is <endpoint>/_oidc/token?api-version=2.0&audience=sts.amazonaws.com'],
  },
  {
    name: "the user's own keys, stepping up with a code",
    setUp: (standin) => {
      standin.createUser('bob', { requireMfaForSelf: true });
      const keys = standin.createAccessKey('bob');
      const phone = standin.addVirtualMfa('bob', 'phone-1');
      const code = standin.totp(phone.seed);
      return {
        inputs: { 'user-name': 'bob', 'aws-access-key-id': keys.accessKeyId, 'aws-secret-access-key': keys.secretAccessKey, 'mfa-token': code },
        options: { endpoint: standin.endpoint },
        secrets: [code],
      };
    },
    debug: [],
  },
];

/** The run as a reader compares two: masked values, the stand-in's address, request, user, account and run ids and times replaced. */
function normalized(run: ActionRun, standin: Standin, masked: readonly string[]): string {
  const text = [run.stdout, JSON.stringify(run.outputs), run.summary].join('\n---\n');
  const hidden = [...masked].sort((a, b) => b.length - a.length).reduce((out, secret) => out.split(secret).join('***'), text);
  return (
    hidden
      .split(standin.endpoint)
      .join('<endpoint>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>')
      .replace(/\bAIDA[A-Z0-9]{12,}\b/g, '<user id>')
      // Each stand-in makes up its own account and run ids.
      .replace(/\d{5,}/g, '<n>')
  );
}

const masksOf = (run: ActionRun): string[] =>
  run.stdout.split('\n').flatMap((line) => (line.startsWith('::add-mask::') ? [line.slice('::add-mask::'.length)] : []));

describe.concurrent('RUNNER_DEBUG=1', () => {
  it.for(scenarios)('$name: the same log, outputs and summary as without it; its debug lines hold no secret', async ({ setUp, debug }, { expect }) => {
    const plain = await startStandin();
    const debugging = await startStandin();
    try {
      const first = setUp(plain);
      const second = setUp(debugging);

      const [without, withDebug] = await Promise.all([
        runAction(first.inputs, first.options),
        runAction(second.inputs, { ...second.options, env: { ...second.options.env, RUNNER_DEBUG: '1' } }),
      ]);

      expect(withDebug.errors).toEqual([]);
      expect(normalized(withDebug, debugging, masksOf(withDebug))).toBe(normalized(without, plain, masksOf(without)));
      const debugLines = withDebug.stdout.split('\n').filter((line) => line.startsWith('::debug::'));
      expect(debugLines.map((line) => line.slice('::debug::'.length).split(debugging.endpoint).join('<endpoint>'))).toEqual(debug);
      // Every line, debug lines included, is free of every credential; the secret inputs are masked before the first line.
      expect(leaksOf(withDebug, [...debugging.issuedSecrets(), ...second.secrets])).toEqual([]);
      expect(maskedFirst(withDebug, second.secrets)).toEqual([]);
    } finally {
      await Promise.all([plain.close(), debugging.close()]);
    }
  });
});
