// `npm run local -- user-name=alice [name=value …] [--actor=LOGIN] [--real [--yes]]`: runs the built
// action (dist/index.js) on this machine exactly as the Actions runner does (standin/runner.ts: a
// Node 24 process, INPUT_* variables with action.yml's defaults, the runner's command files), and
// shows the log as GitHub would, the job summary and the outputs. `--help` says all of this.
//
// By default it acts on the local AWS stand-in, seeded with the demo account (users alice and bob,
// role gha-mfa-admin, a GitHub OIDC token endpoint); with no credentials given it acts as that
// role. With --real it acts on real AWS with this machine's default credential chain (AWS_*
// variables, ~/.aws): it says so first, and asks before changing anything unless --yes is given
// or the run is a dry run. Either way GitHub's API (require-approval) is the stand-in's, seeded
// with an approval of the run and an approved, merged pull request: nothing reaches github.com.
import { createInterface } from 'node:readline/promises';
import { redact } from '../src/text.ts';
import { seedDemo } from '../standin/demo-data.ts';
import { type Standin, startStandin } from '../standin/index.ts';
import { type ActionRun, runAction, type RunOptions } from '../standin/runner.ts';
import { maskedValues, renderLog, renderSummary } from './render.ts';

export interface LocalArgs {
  inputs: Record<string, string>;
  real: boolean;
  yes: boolean;
  help: boolean;
  /** Who started the run (GITHUB_ACTOR); default octocat. */
  actor: string | undefined;
}

const USAGE = 'usage: npm run local -- user-name=NAME [input=value …] [--actor=LOGIN] [--real [--yes]] [--help]';

/** The local GitHub: who approves (with write access), and who requests by pull request. */
export const LOCAL_GITHUB = {
  reviewer: 'octo-reviewer',
  environment: 'iam-admin',
  requester: 'octo-requester',
} as const;

const HELP = `${USAGE}

Runs the built action (dist/index.js; run \`npm run build\` after changing src/) on this machine as the
Actions runner does, and prints the step log as GitHub shows it, the job summary and the outputs.

  input=value     any input of action.yml, e.g. user-name=alice dry-run=true (values as given, untrimmed)
  --actor=LOGIN   who started the run (GITHUB_ACTOR; default octocat)
  --real          act on real AWS with this machine's default credential chain (AWS_PROFILE, AWS_*
                  variables, ~/.aws); asks before changing anything unless dry-run=true or --yes
  --yes           with --real: do not ask
  --help, -h      this text

AWS, by default: a local stand-in on 127.0.0.1 seeded with the demo account: users alice (two devices)
and bob (one virtual device), role gha-mfa-admin. With no role-to-assume and no keys given, the run
acts as that role through a local GitHub OIDC token endpoint.

GitHub's API (require-approval), always a local stand-in, never github.com. With require-approval=environment
the run was approved by ${LOCAL_GITHUB.reviewer} (write access) in the environment ${LOCAL_GITHUB.environment}. With
require-approval=pull-request the run is the push that merged a pull request by ${LOCAL_GITHUB.requester}, approved
on its final commit by ${LOCAL_GITHUB.reviewer}, which added a request file for user-name (passed as request-file). Try
  npm run local -- user-name=alice require-approval=environment
  npm run local -- user-name=alice require-approval=environment --actor=${LOCAL_GITHUB.reviewer}   (refused: self-approval)
  npm run local -- user-name=alice require-approval=pull-request

\`npm run local --help\` without the \`--\` is npm's own help for \`npm run\`.`;

export function parseArgs(argv: readonly string[]): LocalArgs {
  const inputs: Record<string, string> = {};
  let real = false;
  let yes = false;
  let help = false;
  let actor: string | undefined;
  for (const arg of argv) {
    if (arg === '--real') real = true;
    else if (arg === '--yes') yes = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (/^--actor=[A-Za-z0-9-]+$/.test(arg)) actor = arg.slice('--actor='.length);
    else if (/^[a-z][a-z0-9-]*=/.test(arg)) inputs[arg.slice(0, arg.indexOf('='))] = arg.slice(arg.indexOf('=') + 1);
    else throw new Error(`not an input=value pair or a flag: ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return { inputs, real, yes, help, actor };
}

const CREDENTIAL_INPUTS = ['role-to-assume', 'aws-access-key-id', 'aws-secret-access-key'];

export function describeRun(run: ActionRun): string {
  const masks = maskedValues(run.stdout);
  const lines = ['── Step log, as the Actions log shows it', renderLog(run.stdout), '', '── Job summary', renderSummary(run.summary), '', '── Outputs'];
  for (const [name, value] of Object.entries(run.outputs)) lines.push(`${name} = ${redact(value, masks)}`);
  lines.push('', `Exit code ${run.exitCode}; GITHUB_ENV ${run.files.GITHUB_ENV === '' ? 'left empty: nothing exported' : 'WRITTEN TO'}.`);
  return lines.join('\n');
}

async function confirmReal(args: LocalArgs): Promise<boolean> {
  const dryRun = args.inputs['dry-run'] === 'true';
  console.error(
    [
      "!! --real: about to run the action against REAL AWS, with this machine's default credential chain",
      `!! (AWS_PROFILE=${process.env['AWS_PROFILE'] ?? '(unset)'}, AWS_* variables, ~/.aws), on IAM user ${JSON.stringify(args.inputs['user-name'] ?? '')}.`,
      dryRun
        ? '!! dry-run=true: it only lists the devices, it changes nothing.'
        : "!! This DEACTIVATES that user's MFA devices. Add dry-run=true to only list them.",
    ].join('\n'),
  );
  if (dryRun || args.yes) return true;
  if (!process.stdin.isTTY) {
    console.error('Not a terminal, so nothing to confirm with: add --yes to act on real AWS. Nothing was done.');
    return false;
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await prompt.question('Type "yes" to go on: ')).trim() === 'yes';
  } finally {
    prompt.close();
  }
}

/**
 * The stand-in's GitHub, as `require-approval` reads it, and the run the action is in: a dispatched
 * run approved in the environment, or (pull-request) the push that merged an approved pull request
 * which added a request file for the user, passed as request-file instead of user-name.
 */
function localGithub(
  standin: Standin,
  inputs: Record<string, string>,
  actor: string | undefined,
): { inputs: Record<string, string>; run: Partial<RunOptions> } {
  const gh = standin.github;
  const { reviewer, environment, requester } = LOCAL_GITHUB;
  gh.collaborator(reviewer, 'write');
  const github = { apiUrl: gh.apiUrl, token: gh.issueToken({ actions: 'read', contents: 'read', 'pull-requests': 'read' }) };
  const starter = actor ?? 'octocat';
  if (inputs['require-approval'] !== 'pull-request') {
    const run = gh.run({ actor: starter, environment }).approve(reviewer, { comment: 'approved for npm run local' });
    return { inputs, run: { github, ...run.runner() } };
  }
  const { 'user-name': userName = '', ...rest } = inputs;
  const file = rest['request-file'] || `mfa-resets/local-${userName}.yml`;
  // Approved a couple of seconds after the demo's devices were enabled (times are in whole seconds), so the approval covers them.
  const pull = gh.pullRequest({ author: requester, files: [{ filename: file }] }).approve(reviewer, { at: new Date(Date.now() + 2000).toISOString() });
  const run = gh.run({ actor: starter, event: 'push', sha: pull.merge({ by: starter }), environment: null });
  const workspaceFiles = { [file]: `user-name: ${userName}\nreason: npm run local\n` };
  return { inputs: { ...rest, 'request-file': file }, run: { github, workspaceFiles, ...run.runner() } };
}

async function main(argv: readonly string[]): Promise<number> {
  let args: LocalArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  if (args.real && !(await confirmReal(args))) return 2;

  const standin = await startStandin();
  try {
    const { inputs: given, run } = localGithub(standin, args.inputs, args.actor);
    if (args.real) {
      console.log(`GitHub's API: the local stand-in at ${standin.github.apiUrl}. AWS: real, this machine's credentials.`);
      const result = await runAction(given, { endpoint: 'real-aws', ...run });
      console.log(describeRun(result));
      return result.exitCode ?? 1;
    }

    const demo = seedDemo(standin);
    const inputs = { ...given };
    const hasCredentials = CREDENTIAL_INPUTS.some((name) => inputs[name]);
    if (!hasCredentials) inputs['role-to-assume'] = demo.role.arn;
    console.log(`Local AWS stand-in at ${demo.endpoint} (account ${demo.accountId}); demo users alice and bob. GitHub's API: the stand-in's.`);
    if (!hasCredentials) console.log(`No credentials given: acting as the demo role ${demo.role.arn}, through GitHub OIDC.`);
    const devicesOf = (): string => {
      try {
        return standin.devicesOf(args.inputs['user-name'] ?? '').join(', ') || 'none';
      } catch {
        return 'no such user in the demo account';
      }
    };
    console.log(`Devices before: ${devicesOf()}\n`);
    const options: RunOptions = { endpoint: demo.endpoint, oidc: standin.oidc, ...run };
    const result = await runAction(inputs, options);
    console.log(describeRun(result));
    console.log(`\nDevices after: ${devicesOf()}`);
    return result.exitCode ?? 1;
  } finally {
    await standin.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
