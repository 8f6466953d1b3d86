// The IAM documents shipped in examples/iam, filled in the way an adopter fills them in: every
// placeholder (PARTITION, ACCOUNT_ID, GITHUB_OWNER, …) replaced by a value. Tests load them from
// here so that what is tested is the file as shipped.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PolicyDocument } from '../../standin/index.ts';

export const EXAMPLES = resolve(import.meta.dirname, '../../examples');
export const IAM_DIR = join(EXAMPLES, 'iam');

/** The placeholders the JSON documents use; README.md explains each. */
export const PLACEHOLDERS = [
  'PARTITION',
  'ACCOUNT_ID',
  'GITHUB_OWNER_ID',
  'GITHUB_OWNER',
  'GITHUB_REPO_ID',
  'GITHUB_REPO',
  'GITHUB_ENVIRONMENT',
  'JOB_WORKFLOW_REF',
  'USERS',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type Values = Record<Placeholder, string>;

/** Values matching the stand-in's account and its default GitHub job (standin/oidc.ts). */
export const STANDIN_VALUES: Values = {
  PARTITION: 'aws',
  ACCOUNT_ID: '123456789012',
  GITHUB_OWNER: 'octo',
  GITHUB_OWNER_ID: '1001',
  GITHUB_REPO: 'app',
  GITHUB_REPO_ID: '424242',
  GITHUB_ENVIRONMENT: 'iam-admin',
  JOB_WORKFLOW_REF: 'mfa-actions/deactivate-iam-mfa/.github/workflows/mfa-reset.yml@refs/tags/v1',
  // The tests' people live under /people/; `*` (every user) is tested too.
  USERS: 'people/*',
};

/** The documents' USERS glob for an IAM user path: `*` for `/`, `people/*` for `/people/` (as the templates derive it). */
export function usersGlob(userPath: string): string {
  return `${userPath.replace(/^\//, '')}*`;
}

export function exampleFiles(): string[] {
  return readdirSync(IAM_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function exampleText(file: string): string {
  return readFileSync(join(IAM_DIR, file), 'utf8');
}

/** Replaces whole-word placeholders (GITHUB_OWNER never matches inside GITHUB_OWNER_ID). */
export function fillPlaceholders(text: string, values: Values): string {
  return text.replace(new RegExp(`\\b(${PLACEHOLDERS.join('|')})\\b`, 'g'), (name) => values[name as Placeholder]);
}

export function examplePolicy(file: string, values: Values = STANDIN_VALUES): PolicyDocument {
  return JSON.parse(fillPlaceholders(exampleText(file), values)) as PolicyDocument;
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  [key: string]: unknown;
}

export function statementsOf(policy: PolicyDocument): Statement[] {
  return [policy.Statement].flat() as Statement[];
}

/** The document without the statement `sid`: what an adopter who dropped one statement would attach. */
export function withoutStatement(policy: PolicyDocument, sid: string): PolicyDocument {
  const kept = statementsOf(policy).filter((statement) => statement.Sid !== sid);
  if (kept.length === statementsOf(policy).length) throw new Error(`no statement ${sid}`);
  return { ...policy, Statement: kept };
}

/** Every action an Allow statement names (the examples name actions exactly, without wildcards). */
export function allowedActions(...policies: PolicyDocument[]): string[] {
  const actions = policies.flatMap((policy) =>
    statementsOf(policy)
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => [s.Action ?? []].flat()),
  );
  if (actions.some((action) => action.includes('*'))) throw new Error('an example allows a wildcard action');
  return [...new Set(actions)].sort();
}
