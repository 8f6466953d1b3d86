// Binds a person to the IAM user: with require-user-tag, the user's tag of that key must name the
// requester's GitHub account id (or login), so a person can request a reset of their own IAM user only.
import { type IAMClient, paginateListUserTags } from '@aws-sdk/client-iam';
import { ActionError } from '../errors.ts';
import type { UserTagCheck } from '../record.ts';
import { allPages } from './pages.ts';

/** ListUserTags pages; a user has at most 50 tags, so more pages than this means something is wrong. */
const MAX_PAGES = 5;

/** The value of the user's tag `key` (IAM tag keys are case-insensitive), read through every page. */
export async function readUserTag(iam: IAMClient, userName: string, key: string): Promise<string | undefined> {
  const list = { call: 'iam:ListUserTags', items: 'tags', bound: 'a user has at most 50', maxPages: MAX_PAGES };
  // A refusal is left to the session (session.ts), which says why the tags are read.
  const pages = await allPages(paginateListUserTags({ client: iam, stopOnSameToken: true }, { UserName: userName }), list);
  const tag = pages.flatMap((page) => page.Tags ?? []).find((candidate) => candidate.Key?.toLowerCase() === key.toLowerCase());
  return tag ? (tag.Value ?? '') : undefined;
}

/**
 * The check's verdict, decided here only. A tag holding digits is an account id, compared with the
 * requester's id: it survives renames. Otherwise it is a login, compared ignoring case as GitHub
 * does; a login can be renamed and reclaimed by another account, so the README recommends the id. Pure.
 */
export function userTagCheck(key: string, value: string | undefined, requester: UserTagCheck['requester']): UserTagCheck {
  const tag = value?.trim() ?? '';
  const matches = /^\d+$/.test(tag)
    ? requester.id !== undefined && Number(tag) === requester.id
    : tag !== '' && tag.toLowerCase() === requester.login.toLowerCase();
  return { key, value, requester, matches };
}

/** Throws unless the check found the tag naming the requester. */
export function requireUserTag({ key, value, requester, matches }: UserTagCheck): void {
  if (matches) return;
  if (!requester.login && requester.id === undefined)
    throw new ActionError(`require-user-tag: ${key} cannot be checked: the run does not say who requested it (GITHUB_ACTOR is not set).`);
  if (value === undefined) {
    throw new ActionError(
      `require-user-tag refused the reset: the IAM user has no tag ${key}, so it is not bound to a GitHub account. Tag the user with ${key} = its owner's GitHub account id (or login).`,
    );
  }
  throw new ActionError(
    `require-user-tag refused the reset: the IAM user's tag ${key} names another GitHub account than the requester @${requester.login}${requester.id === undefined ? '' : ` (id ${requester.id})`}. ` +
      'A person may request a reset of their own IAM user only.',
  );
}
