// The live test (.github/workflows/live-aws.yml), run here against the local stand-in before it ever
// runs against AWS: the workflow's own steps, in order, as the runner would run them. `run:` steps
// run the fixture script with Debian's AWS CLI v2 (imported once, forked per call:
// test/setup/warm-aws.ts); `uses: ./` steps run the built action; their `env:`, `with:` and `if:`
// expressions are evaluated from the steps' outputs and the repository variables. The roles are the
// two templates, deployed with the parameters docs/LIVE-AWS.md gives, and the job's OIDC token
// carries the claims GitHub would give that job.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryRoot } from '../../scripts/workflow-files.ts';
import type { GithubJob, PolicyDocument, Standin } from '../../standin/index.ts';
import { type ActionRun, parseCommandFile, runAction } from '../../standin/runner.ts';
import { it as standinIt } from '../fixtures/standin.ts';
import { AWS_CLI, requireAwsCli, warmAwsCli, type WarmAwsCli } from '../setup/warm-aws.ts';
import { deployCommands, parseTemplate, resolveTemplate, specProblems, type Template } from '../examples/cloudformation.ts';

const ROOT = repositoryRoot();
const WORKFLOW = '.github/workflows/live-aws.yml';
const LIVE_PATH = '/deactivate-iam-mfa-live/';

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string | boolean>;
  with?: Record<string, string | boolean>;
}
interface Job {
  if: string;
  environment: string;
  permissions: Record<string, string>;
  steps: Step[];
}

const read = (file: string): Promise<string> => readFile(join(ROOT, file), 'utf8');

interface Context {
  vars: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: 'success' | 'failure' | 'skipped' }>;
}

/** The expressions the live workflow uses: vars.X, vars.X || 'literal', steps.ID.outputs.NAME; nothing else is accepted. */
function evaluate(text: string | boolean, context: Context): string {
  if (typeof text === 'boolean') return String(text);
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const alternatives = expression.split(/\s*\|\|\s*/).map((part) => {
      const variable = /^vars\.([A-Z_]+)$/.exec(part);
      if (variable) return context.vars[variable[1] ?? ''] ?? '';
      const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(part);
      if (output) return context.steps[output[1] ?? '']?.outputs[output[2] ?? ''] ?? '';
      const literal = /^'([^']*)'$/.exec(part);
      if (literal) return literal[1] ?? '';
      throw new Error(`the test cannot evaluate ${part}`);
    });
    return alternatives.find((value) => value !== '') ?? '';
  });
}

/** A step's or job's `if:` as the runner decides it: the status functions, outcomes and comparisons the workflow uses. */
function condition(text: string | undefined, context: Context, failed: boolean): boolean {
  if (text === undefined) return !failed;
  const expression = text.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
  const usesStatus = /\b(always|cancelled|success|failure)\(\)/.test(expression);
  const js = expression
    .replace(/\balways\(\)/g, 'true')
    .replace(/\bcancelled\(\)/g, 'false')
    .replace(/\bsuccess\(\)/g, String(!failed))
    .replace(/\bfailure\(\)/g, String(failed))
    .replace(/\bsteps\.([\w-]+)\.outcome\b/g, (_, id: string) => JSON.stringify(context.steps[id]?.outcome ?? ''))
    .replace(/\bvars\.([A-Z_]+)\b/g, (_, name: string) => JSON.stringify(context.vars[name] ?? ''));
  if (!/^[\s\w"'!=&|().-]*$/.test(js)) throw new Error(`the test cannot evaluate if: ${text}`);
  const value = Boolean(new Function(`return (${js});`)());
  // Without a status function, GitHub adds success(): the step runs only if nothing failed before.
  return usesStatus ? value : value && !failed;
}

interface StepRecord {
  id: string;
  outcome: 'success' | 'failure' | 'skipped';
  stdout: string;
  outputs: Record<string, string>;
  run?: ActionRun;
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('bash', ['-e', '-c', script], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const LIVE_JOB: Partial<GithubJob> = {
  owner: 'mfa-actions',
  repo: 'deactivate-iam-mfa',
  environment: 'live-aws',
  jobWorkflowRef: `mfa-actions/deactivate-iam-mfa/${WORKFLOW}@refs/heads/main`,
  ref: 'refs/heads/main',
  eventName: 'schedule',
};

const job = (parse(await read(WORKFLOW)) as { jobs: { live: Job } }).jobs.live;

/** One live run's world: its own stand-in, set up as docs/LIVE-AWS.md says, and runner folder. */
interface Live {
  standin: Standin;
  dir: string;
  vars: Record<string, string>;
  aws: WarmAwsCli;
}

/** The stacks docs/LIVE-AWS.md deploys, in the stand-in's account; returns the repository variables. */
async function setUpAccount(standin: Standin): Promise<Record<string, string>> {
  const deploys = deployCommands(await read('docs/LIVE-AWS.md'));
  const resolve = async (stack: string, extra: Record<string, string> = {}): Promise<Template> => {
    const deploy = deploys.get(stack);
    if (!deploy) throw new Error(`docs/LIVE-AWS.md has no deploy command for ${stack}`);
    const template = parseTemplate(await read(deploy.template));
    return resolveTemplate(template, { partition: 'aws', accountId: standin.accountId, parameters: { ...deploy.parameters, ...extra } });
  };
  const role = (properties: Record<string, unknown>): string =>
    standin.createRole(String(properties['RoleName']), {
      trustPolicy: properties['AssumeRolePolicyDocument'] as PolicyDocument,
      policies: (properties['Policies'] as { PolicyName: string; PolicyDocument: PolicyDocument }[]).map((p) => ({
        name: p.PolicyName,
        document: p.PolicyDocument,
      })),
    }).arn;
  // Step 1: the reset stack, its role and its self-service managed policy.
  const reset = await resolve('deactivate-iam-mfa-live-reset');
  const resetArn = role(reset.Resources['MfaResetRole']!.Properties!);
  const selfService = reset.Resources['SelfServiceMfaPolicy']!.Properties!['PolicyDocument'] as PolicyDocument;
  const policyArn = standin.createManagedPolicy('deactivate-iam-mfa-live-reset-SelfServiceMfaPolicy-TEST', selfService).arn;
  // Step 2: the fixture stack, given that policy.
  const fixtureArn = role((await resolve('deactivate-iam-mfa-live-fixture', { SelfServicePolicyArn: policyArn })).Resources['FixtureRole']!.Properties!);
  // Step 3: the repository variables.
  return { LIVE_AWS_RESET_ROLE_ARN: resetArn, LIVE_AWS_FIXTURE_ROLE_ARN: fixtureArn, LIVE_AWS_SELF_SERVICE_POLICY_ARN: policyArn };
}

// Each scenario has its own stand-in and folder, so they run at the same time; they share one warm
// AWS CLI.
const liveIt = standinIt.extend<{ aws: WarmAwsCli; live: Live }>({
  aws: [
    // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its first parameter
    async ({}, use) => {
      const aws = await warmAwsCli(AWS_CLI);
      await use(aws);
      await aws.close();
    },
    { scope: 'file' },
  ],
  live: async ({ standin, aws, skip }, use) => {
    requireAwsCli(skip);
    const dir = await mkdtemp(join(tmpdir(), 'live-aws-'));
    const vars = await setUpAccount(standin);
    standin.oidc.runJob(LIVE_JOB);
    await use({ standin, dir, vars, aws });
    await rm(dir, { recursive: true, force: true });
  },
});

/** The environment of the fixture script as a `run:` step of the live job gets it. */
function stepEnv(live: Live, extra: Record<string, string>): Record<string, string> {
  const { standin, dir } = live;
  return {
    PATH: `${live.aws.bin}:/usr/bin:/bin`,
    HOME: dir,
    RUNNER_TEMP: dir,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    ACTIONS_ID_TOKEN_REQUEST_URL: standin.oidc.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: standin.oidc.requestToken,
    AWS_ENDPOINT_URL: standin.endpoint,
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    LIVE_AWS_CLOCK_OFFSET: String(Math.round(standin.clock.offsetMs / 1000)),
    ...extra,
  };
}

/** Run the live job's steps in order, as the runner does; `before` may act before a step (move the clock). */
async function runJob(live: Live, before: (id: string) => void | Promise<void> = () => {}): Promise<StepRecord[]> {
  const { standin, dir } = live;
  const context: Context = { vars: live.vars, steps: {} };
  const records: StepRecord[] = [];
  let failed = false;
  for (const [index, step] of job.steps.entries()) {
    const id = step.id ?? `step-${index}`;
    if (step.uses?.startsWith('actions/checkout@')) continue;
    if (!condition(step.if, context, failed)) {
      context.steps[id] = { outputs: {}, outcome: 'skipped' };
      records.push({ id, outcome: 'skipped', stdout: '', outputs: {} });
      continue;
    }
    await before(id);
    let outputs: Record<string, string>;
    let ok: boolean;
    let stdout: string;
    let run: ActionRun | undefined;
    if (step.run !== undefined) {
      const output = join(dir, `output-${index}`);
      await writeFile(output, '');
      const env = stepEnv(live, {
        GITHUB_OUTPUT: output,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, evaluate(value, context)])),
      });
      const result = await bash(step.run, env);
      ok = result.code === 0;
      stdout = result.stdout + result.stderr;
      outputs = parseCommandFile(await readFile(output, 'utf8'));
    } else if (step.uses === './') {
      const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([name, value]) => [name, evaluate(value, context)]));
      run = await runAction(inputs, { endpoint: standin.endpoint, oidc: standin.oidc, actor: 'octocat' });
      ok = run.exitCode === 0;
      stdout = run.stdout;
      outputs = run.outputs;
    } else {
      throw new Error(`the test cannot run step ${id}: ${step.uses ?? ''}`);
    }
    const outcome = ok ? 'success' : 'failure';
    if (!ok) failed = true;
    context.steps[id] = { outputs, outcome };
    records.push({ id, outcome, stdout, outputs, ...(run && { run }) });
  }
  return records;
}

/** Whether the stand-in still has the IAM user. */
function exists(standin: Standin, user: string): boolean {
  try {
    standin.devicesOf(user);
    return true;
  } catch {
    return false;
  }
}

/** Lines of `stdout` that hold `secret` but are not its own mask command. */
function unmasked(stdout: string, secret: string): string[] {
  return stdout.split('\n').filter((line) => line.includes(secret) && line !== `::add-mask::${secret}`);
}

describe('what the live workflow needs', () => {
  it('is opt-in: skipped without all three repository variables, run with them', () => {
    const all = { LIVE_AWS_RESET_ROLE_ARN: 'a', LIVE_AWS_FIXTURE_ROLE_ARN: 'b', LIVE_AWS_SELF_SERVICE_POLICY_ARN: 'c' };
    expect(condition(job.if, { vars: all, steps: {} }, false)).toBe(true);
    for (const name of Object.keys(all)) expect(condition(job.if, { vars: { ...all, [name]: '' }, steps: {} }, false), name).toBe(false);
    expect(condition(job.if, { vars: {}, steps: {} }, false)).toBe(false);
  });

  it('runs in the environment both roles trust, with only an OIDC token and read access, and docs/LIVE-AWS.md names every variable it reads', async () => {
    expect(job.environment).toBe(LIVE_JOB.environment);
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const docs = await read('docs/LIVE-AWS.md');
    const used = [...new Set([...(await read(WORKFLOW)).matchAll(/vars\.([A-Z_]+)/g)].map(([, name]) => name ?? ''))];
    expect(used.sort()).toEqual(['LIVE_AWS_FIXTURE_ROLE_ARN', 'LIVE_AWS_REGION', 'LIVE_AWS_RESET_ROLE_ARN', 'LIVE_AWS_SELF_SERVICE_POLICY_ARN']);
    for (const name of used) expect(docs).toContain(`\`${name}\``);
    expect(docs).toContain(`environment \`${job.environment}\``);
  });

  it('the fixture template conforms to CloudFormation’s resource specification', async () => {
    expect(specProblems(parseTemplate(await read('.github/live-aws/fixture-role.yaml')))).toEqual([]);
  });

  it('always cleans up: the last step runs whatever happened', () => {
    const last = job.steps.at(-1)!;
    expect(last.run).toBe('.github/live-aws/fixture.sh cleanup');
    expect(last.if).toBe('${{ always() }}');
  });
});

// Each run makes some fifty AWS CLI calls (a tenth of a second each, warm; more on a busy machine).
describe.concurrent('the live workflow against the stand-in', { timeout: 120_000 }, () => {
  liveIt('sets up two users, resets one as the role and one by stepping up, checks both in IAM, and cleans up', async ({ live, expect }) => {
    const { standin } = live;
    // The code step needs a time step after the two that enabled the device: move both clocks on.
    const records = await runJob(live, (id) => {
      if (id === 'code') standin.clock.advance(30_000);
    });

    expect(records.map((record) => [record.id, record.outcome])).toEqual([
      ['setup', 'success'],
      ['admin', 'success'],
      ['check-admin', 'success'],
      ['code', 'success'],
      ['self-service', 'success'],
      ['check-self-service', 'success'],
      ['cleanup', 'success'],
    ]);
    const admin = records.find((record) => record.id === 'admin')!.run!;
    expect(admin.outputs).toMatchObject({ result: 'deactivated', 'step-up-used': 'false' });
    expect(JSON.parse(admin.outputs['deleted-devices'] ?? '[]')).toHaveLength(1);
    const self = records.find((record) => record.id === 'self-service')!.run!;
    expect(self.outputs).toMatchObject({ result: 'deactivated', 'step-up-used': 'true' });

    // Who did what: the reset role reset the first user; the second user's keys stepped up once.
    const ok = standin.requests.filter((entry) => entry.outcome === 'ok');
    expect(
      ok.filter((entry) => entry.action === 'DeactivateMFADevice').map((entry) => entry.identity.replace(/^.*:(assumed-role\/[^/]+|user\/).*$/, '$1')),
    ).toEqual(['assumed-role/deactivate-iam-mfa-live-reset', 'user/']);
    expect(standin.requests.filter((entry) => entry.action === 'GetSessionToken').map((entry) => entry.outcome)).toEqual(['ok']);
    // Nothing left under the path, users nor devices.
    for (const user of ['dim-live-4242-1-admin', 'dim-live-4242-1-self']) expect(exists(standin, user), user).toBe(false);
    expect(standin.virtualDevices().filter((device) => device.serial.includes(`:mfa${LIVE_PATH}`))).toEqual([]);
    // The secrets the set-up made are masked before anything prints them, and printed nowhere else.
    const setup = records.find((record) => record.id === 'setup')!;
    const secret = setup.outputs['secret-access-key'] ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9/+=]{20,}$/);
    expect(unmasked(setup.stdout, secret)).toEqual([]);
    expect(setup.stdout.indexOf(`::add-mask::${secret}`)).toBeGreaterThanOrEqual(0);
    const code = records.find((record) => record.id === 'code')!;
    expect(unmasked(code.stdout, code.outputs['mfa-token'] ?? 'none')).toEqual([]);
    for (const record of records) expect(unmasked(record.stdout, secret), record.id).toEqual([]);
  });

  liveIt('cleans up after a set-up that failed halfway, and reports the failure', async ({ live, expect }) => {
    const { standin } = live;
    standin.faults.inject({
      action: 'CreateAccessKey',
      kind: 'error',
      error: { code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for AccessKeysPerUser: 2' },
    });

    const records = await runJob(live);

    expect(records.map((record) => [record.id, record.outcome])).toEqual([
      ['setup', 'failure'],
      ['admin', 'skipped'],
      ['check-admin', 'skipped'],
      ['code', 'skipped'],
      ['self-service', 'skipped'],
      ['check-self-service', 'skipped'],
      ['cleanup', 'success'],
    ]);
    for (const user of ['dim-live-4242-1-admin', 'dim-live-4242-1-self']) expect(exists(standin, user), user).toBe(false);
    expect(standin.virtualDevices().filter((device) => device.serial.includes(`:mfa${LIVE_PATH}`))).toEqual([]);
  });

  liveIt('a failed reset fails its check, and the clean-up still removes everything, leftovers of an earlier run included', async ({ live, expect }) => {
    const { standin } = live;
    // A run that died before its clean-up left a user with a device and a key.
    standin.createUser('dim-live-17-1-self', { path: LIVE_PATH });
    standin.createAccessKey('dim-live-17-1-self');
    standin.addVirtualMfa('dim-live-17-1-self', 'dim-live-17-1-self', { path: LIVE_PATH });
    // And this run's admin reset never gets through.
    // (The SDK tries 5 times; the clean-up's own calls then go through.)
    standin.faults.inject({ action: 'DeactivateMFADevice', kind: 'service-failure', times: 5 });

    const records = await runJob(live, (id) => {
      if (id === 'code') standin.clock.advance(30_000);
    });

    const outcomes = Object.fromEntries(records.map((record) => [record.id, record.outcome]));
    expect(outcomes).toMatchObject({ setup: 'success', admin: 'failure', 'check-admin': 'failure', cleanup: 'success' });
    expect(records.find((record) => record.id === 'check-admin')!.stdout).toContain("::error::admin path: result 'failed', expected 'deactivated'");
    for (const user of ['dim-live-4242-1-admin', 'dim-live-4242-1-self', 'dim-live-17-1-self']) expect(exists(standin, user), user).toBe(false);
    expect(standin.virtualDevices().filter((device) => device.serial.includes(`:mfa${LIVE_PATH}`))).toEqual([]);
  });

  liveIt('the fixture role cannot attach any policy but the self-service one', async ({ live, expect }) => {
    const { standin } = live;
    const admin = standin.createManagedPolicy('AdministratorAccessCopy', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    const step = job.steps.find((s) => s.id === 'setup')!;
    // The set-up step, told to attach the administrator policy instead.
    const { code, stdout, stderr } = await bash(
      step.run ?? '',
      stepEnv(live, {
        GITHUB_OUTPUT: join(live.dir, 'output'),
        FIXTURE_ROLE_ARN: live.vars['LIVE_AWS_FIXTURE_ROLE_ARN'] ?? '',
        SELF_SERVICE_POLICY_ARN: admin.arn,
      }),
    );
    expect(code).not.toBe(0);
    expect(stdout + stderr).toContain('is not authorized to perform: iam:AttachUserPolicy');
    expect(standin.requests.filter((entry) => entry.action === 'AttachUserPolicy').map((entry) => entry.outcome)).toEqual(['AccessDenied']);
  });
});
