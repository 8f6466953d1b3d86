// One name everywhere: the environment and the workflow that the README's recommended workflow, the
// shipped workflows and the deploy commands of examples/README.md name must be the ones the
// templates' trust policy pins. Checked the way AWS would: the token GitHub would issue to that
// job, handed to the stand-in's STS (AssumeRoleWithWebIdentity), against the trust policy the
// template deploys. A mismatch here is "Not authorized to perform sts:AssumeRoleWithWebIdentity"
// on an adopter's first run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type GithubJob, type PolicyDocument, type Standin, startStandin } from '../../standin/index.ts';
import { stsAs } from '../../standin/sdk.ts';
import { repositoryRoot } from '../../scripts/workflow-files.ts';
import { deployCommands, parseTemplate, resolveTemplate } from './cloudformation.ts';
import { EXAMPLES, examplePolicy, usersGlob, type Values } from './examples.ts';

const ROOT = repositoryRoot();
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const THIS_REPOSITORY = 'mfa-actions/deactivate-iam-mfa';
const REUSABLE = `${THIS_REPOSITORY}/.github/workflows/mfa-reset.yml`;

function fences(markdown: string, language: RegExp): string[] {
  return new MarkdownIt()
    .parse(markdown, {})
    .filter((token) => token.type === 'fence' && language.test(token.info.trim()))
    .map((token) => token.content);
}

/** The `module "…" { k = "v" }` block of examples/README.md. */
function terraformModule(markdown: string): Record<string, string> {
  const block = fences(markdown, /^hcl\b/)[0] ?? '';
  return Object.fromEntries([...block.matchAll(/^\s*(\w+)\s*=\s*"([^"]*)"/gm)].map(([, key, value]) => [key ?? '', value ?? '']));
}

/** The defaults of examples/terraform/variables.tf (string and bool variables). */
function terraformDefaults(): Record<string, string> {
  const text = readFileSync(join(EXAMPLES, 'terraform/variables.tf'), 'utf8');
  const defaults: Record<string, string> = {};
  for (const [, name, body] of text.matchAll(/variable "(\w+)" \{([\s\S]*?)\n\}/g)) {
    const value = /^\s*default\s*=\s*(?:"([^"]*)"|(\w+))/m.exec(body ?? '');
    if (value) defaults[name ?? ''] = value[1] ?? value[2] ?? '';
  }
  return defaults;
}

/** The job_workflow_ref GitHub puts in the token of a job that calls `repo/path@ref`: tags and branches as full refs, a SHA as is. */
function jobWorkflowRef(uses: string): string {
  const [path = '', ref = ''] = uses.split('@');
  const full = /^[0-9a-f]{40}$/.test(ref) ? ref : /^v\d/.test(ref) ? `refs/tags/${ref}` : ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
  return `${path}@${full}`;
}

interface CallingJob {
  where: string;
  uses: string;
  environment: string;
}

interface Workflow {
  on?: { workflow_call?: { inputs?: Record<string, { default?: string }> } };
  jobs?: Record<string, { uses?: string; with?: Record<string, unknown>; environment?: unknown }>;
}

const reusable = parse(read('.github/workflows/mfa-reset.yml')) as Workflow;
const reusableEnvironment = String(reusable.on?.workflow_call?.inputs?.['environment']?.default ?? '');

/** Every job in the README that calls this repository's reusable workflow, with the environment its reset job runs in. */
function readmeCallers(): CallingJob[] {
  const jobs: CallingJob[] = [];
  fences(read('README.md'), /^ya?ml\b/).forEach((block, i) => {
    const workflow = parse(block) as Workflow;
    for (const [id, job] of Object.entries(workflow?.jobs ?? {})) {
      // Jobs that act through a role: the self-service path has none to trust.
      if (!job.uses?.startsWith(`${REUSABLE}@`) || !job.with?.['role-to-assume']) continue;
      jobs.push({ where: `README.md yaml block ${i + 1}, job ${id}`, uses: job.uses, environment: String(job.with?.['environment'] ?? reusableEnvironment) });
    }
  });
  return jobs;
}

/** The shipped callers, as an adopter copies them: `uses: ./…` replaced by the ref their comment names. */
function shippedCallers(): CallingJob[] {
  const jobs: CallingJob[] = [];
  for (const file of ['.github/workflows/mfa-reset-dispatch.yml', '.github/workflows/mfa-reset-accounts.yml']) {
    const text = read(file);
    const copied = new RegExp(`In your repository: (${REUSABLE.replace(/[./]/g, '\\$&')}@\\S+)`).exec(text)?.[1];
    for (const [id, job] of Object.entries((parse(text) as Workflow).jobs ?? {})) {
      if (job.uses !== './.github/workflows/mfa-reset.yml') continue;
      jobs.push({
        where: `${file}, job ${id}`,
        uses: copied ?? '(no "In your repository:" comment)',
        environment: String(job.with?.['environment'] ?? reusableEnvironment),
      });
    }
  }
  return jobs;
}

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin.close();
});

let roles = 0;
/** The trust policy in the stand-in's account, and whether its STS lets a token for `job` assume the role. */
async function stsAccepts(trustPolicy: PolicyDocument, job: Partial<GithubJob>): Promise<boolean> {
  const role = standin.createRole(`defaults-${++roles}`, { trustPolicy });
  standin.oidc.runJob(job);
  const command = new AssumeRoleWithWebIdentityCommand({
    RoleArn: role.arn,
    RoleSessionName: 'gh-adopter-1-1',
    WebIdentityToken: await standin.oidc.issueToken(),
  });
  try {
    await stsAs(standin).send(command);
    return true;
  } catch (error) {
    if ((error as Error).name !== 'AccessDenied') throw error;
    return false;
  }
}

const template = parseTemplate(read('examples/cloudformation/mfa-reset-role.yaml'));

function cloudFormationTrust(parameters: Record<string, string>): PolicyDocument {
  const stack = resolveTemplate(template, { partition: 'aws', accountId: standin.accountId, parameters });
  return stack.Resources['MfaResetRole']!.Properties!['AssumeRolePolicyDocument'] as PolicyDocument;
}

/** What the Terraform module attaches: the JSON document main.tf picks, filled in with the module's values and variables.tf's defaults. */
function terraformTrust(module: Record<string, string>): PolicyDocument {
  const settings = { ...terraformDefaults(), ...module };
  const immutable = (settings['github_owner_id'] ?? '') !== '' && (settings['github_repo_id'] ?? '') !== '';
  const file = `${settings['job_workflow_ref'] ? 'trust-policy-workflow' : 'trust-policy-environment'}${immutable ? '-immutable' : ''}.json`;
  const values: Values = {
    PARTITION: 'aws',
    ACCOUNT_ID: standin.accountId,
    GITHUB_OWNER: settings['github_owner'] ?? '',
    GITHUB_OWNER_ID: settings['github_owner_id'] ?? '',
    GITHUB_REPO: settings['github_repo'] ?? '',
    GITHUB_REPO_ID: settings['github_repo_id'] ?? '',
    GITHUB_ENVIRONMENT: settings['github_environment'] ?? '',
    JOB_WORKFLOW_REF: settings['job_workflow_ref'] ?? '',
    USERS: usersGlob(settings['user_path'] ?? '/'),
  };
  return examplePolicy(file, values);
}

/** The job GitHub runs for `caller` in the adopter's repository of a deploy command (ids given: the immutable subject). */
function adopterJob(parameters: Record<string, string>, caller: { uses: string; environment: string }): Partial<GithubJob> {
  const immutable = Boolean(parameters['GitHubOwnerId'] && parameters['GitHubRepoId']);
  return {
    owner: parameters['GitHubOwner'] ?? '',
    repo: parameters['GitHubRepo'] ?? '',
    ...(immutable && { ownerId: parameters['GitHubOwnerId'] ?? '', repoId: parameters['GitHubRepoId'] ?? '' }),
    immutableSubject: immutable,
    environment: caller.environment,
    jobWorkflowRef: jobWorkflowRef(caller.uses),
  };
}

const examplesReadme = read('examples/README.md');
const deploys = deployCommands(examplesReadme);
const admin = deploys.get('github-mfa-reset')?.parameters ?? {};
const requests = deploys.get('github-mfa-requests')?.parameters ?? {};

describe('what the checks read', () => {
  it('finds the README workflows, the shipped callers and both deploy commands', () => {
    expect(readmeCallers().length).toBeGreaterThanOrEqual(2);
    expect(shippedCallers().map((job) => job.where)).toEqual([
      '.github/workflows/mfa-reset-dispatch.yml, job reset',
      '.github/workflows/mfa-reset-accounts.yml, job reset',
    ]);
    expect(admin).toMatchObject({ GitHubOwner: expect.any(String), GitHubRepo: expect.any(String), UserPath: expect.any(String) });
    expect(requests).toMatchObject({ GitHubEnvironment: expect.any(String), JobWorkflowRef: expect.any(String) });
    expect(Object.keys(terraformModule(examplesReadme))).toContain('github_owner');
  });

  it('turns a uses: ref into the job_workflow_ref GitHub issues', () => {
    expect(jobWorkflowRef(`${REUSABLE}@v1`)).toBe(`${REUSABLE}@refs/tags/v1`);
    expect(jobWorkflowRef(`${REUSABLE}@${'a'.repeat(40)}`)).toBe(`${REUSABLE}@${'a'.repeat(40)}`);
    expect(jobWorkflowRef('o/r/.github/workflows/x.yml@main')).toBe('o/r/.github/workflows/x.yml@refs/heads/main');
  });
});

describe("the admin path: the README's workflows and the shipped callers are trusted by the templates' defaults", () => {
  const callers = [...readmeCallers(), ...shippedCallers()];

  it.each(callers)('CloudFormation, only the required parameters: $where', async (caller) => {
    const parameters = { GitHubOwner: 'octo-org', GitHubRepo: 'iam-ops', UserPath: '/' };
    expect(await stsAccepts(cloudFormationTrust(parameters), adopterJob(parameters, caller))).toBe(true);
  });

  it.each(callers)("CloudFormation, the README's deploy command: $where", async (caller) => {
    const readme = deployCommands(read('README.md')).get('github-mfa-reset')?.parameters;
    expect(readme).toBeDefined();
    expect(await stsAccepts(cloudFormationTrust(readme ?? {}), adopterJob(readme ?? {}, caller))).toBe(true);
  });

  it.each(callers)("CloudFormation, examples/README.md's deploy command: $where", async (caller) => {
    expect(await stsAccepts(cloudFormationTrust(admin), adopterJob(admin, caller))).toBe(true);
  });

  it.each(callers)("Terraform, examples/README.md's module block: $where", async (caller) => {
    const module = terraformModule(examplesReadme);
    const parameters = {
      GitHubOwner: module['github_owner'] ?? '',
      GitHubRepo: module['github_repo'] ?? '',
      GitHubOwnerId: module['github_owner_id'] ?? '',
      GitHubRepoId: module['github_repo_id'] ?? '',
    };
    expect(await stsAccepts(terraformTrust(module), adopterJob(parameters, caller))).toBe(true);
  });

  it('the check can fail: a job in another environment, or at another ref of the workflow, is refused', async () => {
    const trust = cloudFormationTrust(admin);
    expect(await stsAccepts(trust, adopterJob(admin, { uses: `${REUSABLE}@v1`, environment: 'mfa-reset' }))).toBe(false);
    expect(await stsAccepts(trust, adopterJob(admin, { uses: `${REUSABLE}@main`, environment: reusableEnvironment }))).toBe(false);
    expect(
      await stsAccepts(trust, adopterJob({ ...admin, GitHubOwnerId: '', GitHubRepoId: '' }, { uses: `${REUSABLE}@v1`, environment: reusableEnvironment })),
    ).toBe(false);
  });

  it('the templates, the reusable workflow and the README agree on one environment name', () => {
    const cloudFormation = template.Parameters?.['GitHubEnvironment']?.Default;
    expect(cloudFormation).toBe(reusableEnvironment);
    expect(terraformDefaults()['github_environment']).toBe(reusableEnvironment);
    expect(template.Parameters?.['JobWorkflowRef']?.Default).toBe(terraformDefaults()['job_workflow_ref']);
    expect(read('README.md')).toContain(`Environments → New environment*, named \`${reusableEnvironment}\``);
  });
});

describe('the request flow: its deploy command trusts the shipped mfa-request.yml', () => {
  const workflow = parse(read('.github/workflows/mfa-request.yml')) as Workflow;
  const environment = String(workflow.jobs?.['reset']?.environment ?? '');
  const caller = { uses: `${requests['GitHubOwner']}/${requests['GitHubRepo']}/.github/workflows/mfa-request.yml@refs/heads/main`, environment };

  it("a copy on the adopter's default branch, run on push", async () => {
    expect(environment).toBe('mfa-requests');
    expect(await stsAccepts(cloudFormationTrust(requests), adopterJob(requests, caller))).toBe(true);
  });

  it('and not the admin workflow, nor the request workflow on another branch', async () => {
    const trust = cloudFormationTrust(requests);
    expect(await stsAccepts(trust, adopterJob(requests, { uses: `${REUSABLE}@v1`, environment }))).toBe(false);
    expect(await stsAccepts(trust, adopterJob(requests, { ...caller, uses: caller.uses.replace('refs/heads/main', 'refs/heads/evil') }))).toBe(false);
  });
});
