// The target user as IAM knows it. IAM compares user names case-insensitively, so `ALICE` acts on
// `alice`: masking only the input would let `alice` through in ARNs, the log and the summary.
// GetUser gives the canonical name to mask, and the unique id an auditor can trace in CloudTrail.
import { GetUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { ActionError, InputError } from '../errors.ts';
import { escapeRegExp } from '../text.ts';
import type { TargetUser } from '../record.ts';
import { classifyAwsError } from './errors.ts';

/**
 * iam:GetUser. A refusal is left to the session (session.ts), which knows who is acting and whether
 * stepping up can help; a user that does not exist is the input's fault.
 */
export async function getUser(iam: IAMClient, userName: string): Promise<TargetUser> {
  try {
    const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
    if (!User?.UserName || !User.UserId) throw new ActionError('IAM GetUser answered without the user.');
    return { userName: User.UserName, userId: User.UserId, path: User.Path ?? '/' };
  } catch (error) {
    if (classifyAwsError(error) !== 'no-such-user') throw error;
    throw new InputError('user-name', 'names no IAM user in this account (GetUser: NoSuchEntity). Nothing was changed.');
  }
}

/** Every form of `name` in `text`, ignoring case as IAM does: what must be masked before `text` is printed. */
export function nameForms(text: string, name: string): string[] {
  if (name === '') return [];
  const pattern = new RegExp(escapeRegExp(name), 'gi');
  return [...new Set(text.match(pattern) ?? [])];
}
