// The error table is complete and is the one source: every error AWS's models list for each call the
// action makes (botocore's JSON models, and the AWS SDK's own as its command types declare them) and
// every common error has a row; the expected action of each is written down here; and
// docs/TROUBLESHOOTING.md's table is the one generated from it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { ERROR_TABLE, type ErrorAction, errorRow, type Operation, OPERATIONS } from '../../src/aws/error-table.ts';
import { DOC, withErrorTable } from '../../scripts/error-table.ts';
import { sdkThrows } from '../../standin/contract/aws-model.ts';

// Debian's python3-botocore, or the botocore inside Debian's awscli (which .ci/run installs); BOTOCORE_DATA for another.
const BOTOCORE_DIRS = [process.env['BOTOCORE_DATA'], '/usr/lib/python3/dist-packages/botocore/data', '/usr/lib/python3/dist-packages/awscli/botocore/data'];
const MODEL_FILES = { iam: 'iam/2010-05-08/service-2.json', sts: 'sts/2011-06-15/service-2.json' } as const;

interface BotocoreModel {
  operations: Record<string, { errors?: { shape: string }[] }>;
  shapes: Record<string, { error?: { code?: string } }>;
}

/** One error a model lists for a call: AWS's wire code and the model's shape name (the SDK's class name). */
interface ModeledError {
  operation: Operation;
  code: string;
  shape: string;
  from: string;
}

function botocoreErrors(dir: string): ModeledError[] {
  return OPERATIONS.flatMap((operation) => {
    const [service, name] = operation.split(':') as ['iam' | 'sts', string];
    const file = join(dir, MODEL_FILES[service]);
    const model = JSON.parse(readFileSync(file, 'utf8')) as BotocoreModel;
    const listed = model.operations[name];
    if (!listed) throw new Error(`${file} has no operation ${name}`);
    return (listed.errors ?? []).map(({ shape }) => ({ operation, shape, code: model.shapes[shape]?.error?.code ?? shape, from: file }));
  });
}

/** The error classes the installed AWS SDK declares for each call (`@throws {@link XException}` in its command types). */
function sdkErrors(): { operation: Operation; shape: string }[] {
  return OPERATIONS.flatMap((operation) => {
    const [service, name] = operation.split(':') as ['iam' | 'sts', string];
    return sdkThrows(service, name).shapes.map((shape) => ({ operation, shape }));
  });
}

function modelDirs(context: TestContext): string[] {
  const dirs = BOTOCORE_DIRS.filter((dir): dir is string => dir !== undefined && existsSync(join(dir, MODEL_FILES.iam)));
  if (dirs.length > 0) return dirs;
  if (process.env['CI']) throw new Error("no botocore model found: .ci/run installs Debian's awscli, which carries one");
  context.skip('no botocore data (apt-get install python3-botocore or awscli; or set BOTOCORE_DATA)');
  return [];
}

/**
 * What the action does with each error a model lists for a call, written down by hand: a new error in
 * AWS's model (or the SDK's) fails the test below until it has a row and a line here.
 */
const MODELED: Record<string, ErrorAction> = {
  'iam:GetUser NoSuchEntity': 'report',
  'iam:GetUser ServiceFailure': 'retry',
  'iam:ListUserTags NoSuchEntity': 'report',
  'iam:ListUserTags ServiceFailure': 'retry',
  'iam:ListMFADevices NoSuchEntity': 'report',
  'iam:ListMFADevices ServiceFailure': 'retry',
  'iam:DeactivateMFADevice NoSuchEntity': 'done',
  'iam:DeactivateMFADevice EntityTemporarilyUnmodifiable': 'retry',
  'iam:DeactivateMFADevice ConcurrentModification': 'retry',
  'iam:DeactivateMFADevice LimitExceeded': 'retry',
  'iam:DeactivateMFADevice ServiceFailure': 'retry',
  'iam:DeleteVirtualMFADevice NoSuchEntity': 'done',
  'iam:DeleteVirtualMFADevice DeleteConflict': 'retry',
  'iam:DeleteVirtualMFADevice ConcurrentModification': 'retry',
  'iam:DeleteVirtualMFADevice LimitExceeded': 'retry',
  'iam:DeleteVirtualMFADevice ServiceFailure': 'retry',
  'sts:AssumeRoleWithWebIdentity MalformedPolicyDocument': 'report',
  'sts:AssumeRoleWithWebIdentity PackedPolicyTooLarge': 'report',
  'sts:AssumeRoleWithWebIdentity IDPRejectedClaim': 'report',
  'sts:AssumeRoleWithWebIdentity IDPCommunicationError': 'retry',
  // Other than "Couldn't retrieve verification key", which is retried (below).
  'sts:AssumeRoleWithWebIdentity InvalidIdentityToken': 'report',
  'sts:AssumeRoleWithWebIdentity ExpiredTokenException': 'report',
  'sts:AssumeRoleWithWebIdentity RegionDisabledException': 'report',
  'sts:GetSessionToken RegionDisabledException': 'report',
};

/** AWS's common errors (IAM's and STS's API references), with the spellings the issue lists. */
const COMMON: Record<string, ErrorAction> = {
  AccessDenied: 'report',
  AccessDeniedException: 'report',
  IncompleteSignature: 'report',
  InternalFailure: 'retry',
  InvalidAction: 'report',
  InvalidClientTokenId: 'report',
  InvalidParameterCombination: 'report',
  InvalidParameterValue: 'report',
  InvalidQueryParameter: 'report',
  MalformedQueryString: 'report',
  MissingAction: 'report',
  MissingAuthenticationToken: 'report',
  MissingParameter: 'report',
  NotAuthorized: 'report',
  OptInRequired: 'report',
  RequestExpired: 'report',
  ServiceUnavailable: 'retry',
  Throttling: 'retry',
  ThrottlingException: 'retry',
  ValidationError: 'report',
  ExpiredToken: 'report',
  SignatureDoesNotMatch: 'report',
};

describe('every error a model lists for a call the action makes has a row', () => {
  it("botocore's models: each (call, code) has a row, with the model's class name, and the action written down here", (context) => {
    const dirs = modelDirs(context);
    const modeled = dirs.flatMap(botocoreErrors);
    expect(modeled.length).toBeGreaterThan(15);
    const missing = modeled.filter(({ operation, code }) => !errorRow(code, '', operation)).map((e) => `${e.operation} ${e.code} (${e.from})`);
    expect(missing).toEqual([]);
    for (const { operation, code, shape } of modeled) {
      const row = errorRow(code, '', operation);
      expect(row?.sdkName ?? row?.code, `${operation} ${code}`).toBe(shape);
      expect(row?.action, `${operation} ${code}`).toBe(MODELED[`${operation} ${code}`]);
    }
  });

  it("the AWS SDK's models: each error class a command declares has a row for that call", () => {
    const declared = sdkErrors();
    expect(declared.length).toBeGreaterThan(15);
    const missing = declared.filter(
      ({ operation, shape }) => errorRow(shape, '', operation)?.sdkName !== shape && errorRow(shape, '', operation)?.code !== shape,
    );
    expect(missing).toEqual([]);
    for (const { operation, shape } of declared) {
      const row = errorRow(shape, '', operation);
      expect(row?.action, `${operation} ${shape}`).toBe(MODELED[`${operation} ${row?.code ?? shape}`]);
    }
    // And every line written down here is still in a model: a row for an error AWS no longer lists is noticed.
    const listed = new Set(declared.map(({ operation, shape }) => `${operation} ${errorRow(shape, '', operation)?.code}`));
    expect(Object.keys(MODELED).filter((key) => !listed.has(key))).toEqual([]);
  });

  it.each(OPERATIONS)("AWS's common errors have a row for %s", (operation) => {
    for (const [code, action] of Object.entries(COMMON)) expect(errorRow(code, '', operation)?.action, `${operation} ${code}`).toBe(action);
  });

  it('an answer the table does not know has no row (and so is reported as unknown, never guessed at)', () => {
    expect(errorRow('SomethingNew', 'x', 'iam:DeactivateMFADevice')).toBeUndefined();
  });
});

describe('the table is consistent', () => {
  it('ids are unique', () => {
    const ids = ERROR_TABLE.map((row) => row.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it.each(ERROR_TABLE.map((row) => [row.id, row] as const))('%s: a pace exactly when retried; an explanation; reachable', (_, row) => {
    expect(row.pace !== undefined).toBe(row.action === 'retry');
    expect(row.explanation.length).toBeGreaterThan(30);
    expect(row.explanation).toMatch(/[.)]$/);
    // Reachable: AWS's wording (or none) on one of its calls finds this row, not an earlier one.
    const operation = row.on === 'every' ? 'iam:DeactivateMFADevice' : row.on[0];
    expect(errorRow(row.code, row.says ? `User: x ${row.says.toUpperCase()} y` : 'no particular wording', operation)?.id).toBe(row.id);
    for (const also of row.also ?? []) expect(errorRow(also, row.says ?? '', operation)?.id).toBe(row.id);
    if (row.sdkName) expect(errorRow(row.sdkName, row.says ?? '', operation)?.id).toBe(row.id);
  });

  it('whether a code is retried does not depend on the call (the retry strategy sees no call)', () => {
    const retried = new Map<string, boolean>();
    for (const row of ERROR_TABLE) {
      const key = `${row.code} ${row.says ?? ''}`;
      const retry = row.action === 'retry';
      expect(retried.get(key) ?? retry, key).toBe(retry);
      retried.set(key, retry);
    }
  });

  it('only AccessDenied rows are denials', () => {
    expect(ERROR_TABLE.filter((row) => row.deny && row.code !== 'AccessDenied')).toEqual([]);
  });
});

describe('docs/TROUBLESHOOTING.md', () => {
  it('has the table generated from src/aws/error-table.ts (node scripts/error-table.ts --write)', () => {
    const doc = readFileSync(DOC, 'utf8');
    expect(withErrorTable(doc) === doc, 'the section differs: run node scripts/error-table.ts --write').toBe(true);
  });

  it('fails on a row the document does not have', () => {
    const doc = readFileSync(DOC, 'utf8');
    expect(withErrorTable(doc.replace('| `DeleteConflict` |', '| `DeleteConflicts` |')) === doc.replace('| `DeleteConflict` |', '| `DeleteConflicts` |')).toBe(
      false,
    );
  });
});
