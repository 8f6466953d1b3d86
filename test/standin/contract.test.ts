// The stand-in held to AWS's published service models: every operation it serves is driven with
// real requests (the AWS SDK's, and a few hand-signed ones no SDK sends) to a success and to each
// error it can give, and every answer is checked against botocore's model (Debian's
// python3-botocore; 1.29.27 on this machine, IAM uid iam-2010-05-08 and STS uid sts-2011-06-15,
// protocol query) plus the operations' error lists of the newer model the SDK was generated from:
// element names and nesting, namespace, result wrapper, RequestId, error code, HTTP status, Type.
import { describe, expect, it } from 'vitest';
import { botocoreVersion, declaredErrors, loadModel } from '../../standin/contract/aws-model.ts';
import { checkAnswer } from '../../standin/contract/check-answer.ts';
import { parseXml } from '../../standin/contract/xml-tree.ts';
import { iamActions } from '../../standin/iam.ts';
import { stsActions } from '../../standin/sts.ts';
import { FRONT_END_CASES, genericCases, OPERATIONS } from './contract-cases.ts';
import type { Case } from './contract-cases.ts';
import { IAM_CASES } from './contract-iam-cases.ts';
import { STS_CASES } from './contract-sts-cases.ts';
import { world } from './contract-world.ts';

const MODELS = { iam: loadModel('iam'), sts: loadModel('sts') };
const modelOf = (op: string) => MODELS[Object.hasOwn(iamActions, op) ? 'iam' : 'sts'];
const declaredCodes = (op: string) => declaredErrors(modelOf(op), op).map((error) => error.code);

const CASES: Case[] = [...genericCases(declaredCodes), ...IAM_CASES, ...STS_CASES, ...FRONT_END_CASES];

/** Every answer the stand-in gives each operation, as covered by CASES: the stand-in's contract, in one table. */
const ANSWERS: Record<string, string[]> = {
  ListMFADevices: ['ok', 'AccessDenied', 'NoSuchEntity', 'ValidationError', 'MalformedInput'],
  DeactivateMFADevice: ['ok', 'AccessDenied', 'NoSuchEntity', 'EntityTemporarilyUnmodifiable', 'ConcurrentModification'],
  DeleteVirtualMFADevice: ['ok', 'AccessDenied', 'NoSuchEntity', 'DeleteConflict', 'ConcurrentModification'],
  CreateVirtualMFADevice: ['ok', 'AccessDenied', 'EntityAlreadyExists', 'ConcurrentModification'],
  EnableMFADevice: [
    'ok',
    'AccessDenied',
    'NoSuchEntity',
    'EntityAlreadyExists',
    'InvalidAuthenticationCode',
    'LimitExceeded',
    'EntityTemporarilyUnmodifiable',
    'ConcurrentModification',
  ],
  CreateUser: ['ok', 'AccessDenied', 'EntityAlreadyExists', 'ConcurrentModification'],
  GetUser: ['ok', 'AccessDenied', 'NoSuchEntity', 'MissingAuthenticationToken', 'IncompleteSignature'],
  CreateAccessKey: ['ok', 'AccessDenied', 'NoSuchEntity', 'LimitExceeded'],
  ListUserTags: ['ok', 'AccessDenied', 'NoSuchEntity'],
  GetCallerIdentity: ['ok', 'InvalidAction'],
  GetSessionToken: ['ok', 'AccessDenied', 'ValidationError', 'RegionDisabledException'],
  AssumeRoleWithWebIdentity: [
    'ok',
    'AccessDenied',
    'ValidationError',
    'InvalidIdentityToken',
    'ExpiredTokenException',
    'IDPCommunicationError',
    'RegionDisabledException',
    'MalformedPolicyDocument',
    'PackedPolicyTooLarge',
  ],
};
const SIGNED_COMMON = ['Throttling', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken'];

function codeOf(status: number, body: string): string {
  if (status === 200) return 'ok';
  const error = parseXml(body).children.find((child) => child.name === 'Error');
  return error?.children.find((child) => child.name === 'Code')?.text ?? '(no code)';
}

describe(`the stand-in's AWS answers against botocore ${botocoreVersion()} (${MODELS.iam.metadata.uid}, ${MODELS.sts.metadata.uid})`, () => {
  it.each(CASES.map((c) => ({ ...c, name: `${c.op} ${c.expect}: ${c.why}` })))('$name', async (c) => {
    const w = await world();
    try {
      const { status, body } = await c.send(w);
      expect(codeOf(status, body), body).toBe(c.expect);
      expect(checkAnswer(modelOf(c.op), c.op, status, body), body).toEqual([]);
    } finally {
      await w.standin.close();
    }
  });

  it('drives every operation the stand-in serves, and nothing else', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual([...Object.keys(iamActions), ...Object.keys(stsActions)].sort());
    expect(Object.keys(ANSWERS).sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  it.each(Object.keys(ANSWERS))('covers every answer %s can give', (op) => {
    const service = OPERATIONS[op]!.service;
    const common = [...(op === 'AssumeRoleWithWebIdentity' ? ['Throttling'] : SIGNED_COMMON), service === 'iam' ? 'ServiceFailure' : 'InternalFailure'];
    const covered = new Set(CASES.filter((c) => c.op === op).map((c) => c.expect));
    expect([...covered].sort()).toEqual([...new Set([...ANSWERS[op]!, ...common])].sort());
  });
});
