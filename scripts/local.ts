// `npm run local -- user-name=alice [name=value …] [--real [--yes]]`: runs the built action
// (dist/index.js) on this machine exactly as the Actions runner does (standin/runner.ts: a Node 24
// process, INPUT_* variables with action.yml's defaults, the runner's command files), and shows the
// log as GitHub would, the job summary and the outputs.
//
// By default it acts on the local AWS stand-in, seeded with the demo account (users alice and bob,
// role gha-mfa-admin, a GitHub OIDC token endpoint); with no credentials given it acts as that
// role. With --real it acts on real AWS with this machine's default credential chain (AWS_*
// variables, ~/.aws): it says so first, and asks before changing anything unless --yes is given
// or the run is a dry run.
import { createInterface } from 'node:readline/promises';
import { redact } from '../src/text.ts';
import { seedDemo } from '../standin/demo-data.ts';
import { startStandin } from '../standin/index.ts';
import { type ActionRun, runAction, type RunOptions } from '../standin/runner.ts';
import { maskedValues, renderLog, renderSummary } from './render.ts';

export interface LocalArgs {
  inputs: Record<string, string>;
  real: boolean;
  yes: boolean;
}

const USAGE = 'usage: npm run local -- user-name=NAME [input=value …] [--real [--yes]]';

export function parseArgs(argv: readonly string[]): LocalArgs {
  const inputs: Record<string, string> = {};
  let real = false;
  let yes = false;
  for (const arg of argv) {
    if (arg === '--real') real = true;
    else if (arg === '--yes') yes = true;
    else if (/^[a-z][a-z0-9-]*=/.test(arg)) inputs[arg.slice(0, arg.indexOf('='))] = arg.slice(arg.indexOf('=') + 1);
    else throw new Error(`not an input=value pair or a flag: ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return { inputs, real, yes };
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

async function main(argv: readonly string[]): Promise<number> {
  let args: LocalArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (args.real) {
    if (!(await confirmReal(args))) return 2;
    const run = await runAction(args.inputs, { endpoint: 'real-aws' });
    console.log(describeRun(run));
    return run.exitCode ?? 1;
  }

  const standin = await startStandin();
  try {
    const demo = seedDemo(standin);
    const inputs = { ...args.inputs };
    const hasCredentials = CREDENTIAL_INPUTS.some((name) => inputs[name]);
    if (!hasCredentials) inputs['role-to-assume'] = demo.role.arn;
    console.log(`Local AWS stand-in at ${demo.endpoint} (account ${demo.accountId}); demo users alice and bob.`);
    if (!hasCredentials) console.log(`No credentials given: acting as the demo role ${demo.role.arn}, through GitHub OIDC.`);
    const devicesOf = (): string => {
      try {
        return standin.devicesOf(inputs['user-name'] ?? '').join(', ') || 'none';
      } catch {
        return 'no such user in the demo account';
      }
    };
    console.log(`Devices before: ${devicesOf()}\n`);
    const options: RunOptions = { endpoint: demo.endpoint, oidc: standin.oidc };
    const run = await runAction(inputs, options);
    console.log(describeRun(run));
    console.log(`\nDevices after: ${devicesOf()}`);
    return run.exitCode ?? 1;
  } finally {
    await standin.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
