// `npm run demo`: the action's main job, end to end, on this machine. Starts the local AWS
// stand-in, runs the built dist/index.js twice as the Actions runner would (an admin through
// GitHub OIDC; a user stepping up with a freshly computed code), and prints what a person sees:
// the step's log, the job summary, the outputs, and the account's devices before and after.
import { seedDemo } from '../standin/demo-data.ts';
import { type Standin, startStandin } from '../standin/index.ts';
import { type ActionRun, runAction } from '../standin/runner.ts';
import { redact } from '../src/text.ts';
import { maskedValues, renderLog, renderSummary } from './render.ts';

const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');

function section(title: string): void {
  console.log(`\n${bold(`━━ ${title} ${'━'.repeat(Math.max(0, 76 - title.length))}`)}`);
}

function devices(standin: Standin): void {
  for (const user of ['alice', 'bob']) {
    const serials = standin.devicesOf(user);
    console.log(`  ${user}: ${serials.length === 0 ? 'no MFA device' : serials.join(', ')}`);
  }
}

function show(run: ActionRun): void {
  console.log(bold('\n  Step log, as the Actions log shows it:'));
  console.log(indent(renderLog(run.stdout)));
  console.log(bold('\n  Job summary:'));
  console.log(indent(renderSummary(run.summary)));
  console.log(bold('\n  Step outputs (as the log would print them):'));
  for (const [name, value] of Object.entries(run.outputs)) console.log(`    ${name} = ${redact(value, maskedValues(run.stdout))}`);
  console.log(`\n  Exit code ${run.exitCode}; GITHUB_ENV ${run.files.GITHUB_ENV === '' ? 'left empty: nothing exported' : 'WRITTEN TO'}.`);
}

function requests(standin: Standin, from: number): void {
  console.log(bold('\n  What the stand-in saw (its request log):'));
  for (const entry of standin.requests.slice(from)) {
    if (entry.service === 'oidc') continue;
    const who = entry.identity.replace(`arn:aws:iam::${standin.accountId}:`, '').replace(`arn:aws:sts::${standin.accountId}:`, '');
    console.log(`    ${entry.action.padEnd(26)} ${who.padEnd(48)} ${entry.mfa ? 'MFA   ' : '      '}${entry.outcome}`);
  }
}

const standin = await startStandin();
try {
  const demo = seedDemo(standin);
  section(`Local AWS stand-in at ${demo.endpoint}, account ${demo.accountId}`);
  console.log('  It speaks the AWS Query protocol, verifies SigV4 and checks TOTP codes once each.');
  console.log('\n  MFA devices before:');
  devices(standin);

  section("1. Admin path: role gha-mfa-admin, assumed with the job's GitHub OIDC token, resets alice");
  console.log('  with: user-name: alice, role-to-assume: ' + demo.role.arn + ', require-approval: environment');
  console.log('  octo-admin started the run; octo-reviewer (write access) approved it in the iam-admin environment.');
  // The job's token has `permissions: actions: read`; GitHub's API is the stand-in's.
  standin.github.collaborator('octo-reviewer', 'write');
  const run = standin.github.run({ actor: 'octo-admin' }).approve('octo-reviewer', { comment: 'Verified by video call' });
  const github = { apiUrl: standin.github.apiUrl, token: standin.github.issueToken({ actions: 'read' }) };
  let seen = standin.requests.length;
  show(
    await runAction(
      { 'user-name': 'alice', 'role-to-assume': demo.role.arn, 'protected-users': 'breakglass-*', 'require-approval': 'environment' },
      { endpoint: demo.endpoint, oidc: standin.oidc, github, ...run.runner() },
    ),
  );
  requests(standin, seen);

  section('2. Self-service path: bob, with his own keys and the code his phone shows now');
  const bob = demo.users.bob;
  const code = standin.totp(bob.devices[0]?.seed ?? '');
  console.log('  with: user-name: bob, mfa-token: ***, aws-access-key-id: ***, aws-secret-access-key: ***');
  seen = standin.requests.length;
  show(
    await runAction(
      {
        'user-name': 'bob',
        'mfa-token': code,
        'aws-access-key-id': bob.accessKeyId,
        'aws-secret-access-key': bob.secretAccessKey,
        'delete-virtual-devices': 'true',
      },
      { endpoint: demo.endpoint, actor: 'octocat' },
    ),
  );
  requests(standin, seen);

  section('MFA devices after');
  devices(standin);
  const leftovers = standin.virtualDevices().filter((device) => device.userName === undefined);
  console.log(`  unassigned virtual devices left in the account: ${leftovers.map((device) => device.serial).join(', ') || 'none'}`);
} finally {
  await standin.close();
}
