// Binds a person to the IAM user: with require-user-tag, the user's tag of that key must name the
// requester's GitHub login, so a person can request a reset of their own IAM user only.
import { type IAMClient, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { sameLogin } from './approvals.ts';
import type { AuditRecord } from './audit.ts';
import { ActionError, classifyAwsError, describeAwsError } from './errors.ts';
import { followPages } from './paging.ts';

/** ListUserTags pages; a user has at most 50 tags, so more pages than this means something is wrong. */
const MAX_PAGES = 5;

export interface UserTagCheck {
  key: string;
  /** The tag's value on the user; undefined when the user has no such tag. */
  value: string | undefined;
  requester: string;
}

/** The value of the user's tag `key` (IAM tag keys are case-insensitive), read through every page. */
export async function readUserTag(iam: IAMClient, userName: string, key: string): Promise<string | undefined> {
  let value: string | undefined;
  const list = {
    call: 'iam:ListUserTags',
    items: 'tags',
    bound: 'a user has at most 50',
    maxPages: MAX_PAGES,
    fetch: (marker: string | undefined) => iam.send(new ListUserTagsCommand({ UserName: userName, ...(marker !== undefined && { Marker: marker }) })),
  };
  try {
    await followPages(list, (page) => {
      const tag = (page.Tags ?? []).find((candidate) => candidate.Key?.toLowerCase() === key.toLowerCase());
      if (tag) value = tag.Value ?? '';
      return tag !== undefined;
    });
  } catch (error) {
    if (error instanceof ActionError || classifyAwsError(error) !== 'access-denied') throw error;
    throw new ActionError(
      `require-user-tag needs to read the user's tags, and AWS refused (${describeAwsError(error)}): allow iam:ListUserTags on the user to the identity the action acts as.`,
      { cause: error },
    );
  }
  return value;
}

/** Throws unless the tag names the requester. Pure. */
export function checkUserTag({ key, value, requester }: UserTagCheck): void {
  if (!requester) throw new ActionError(`require-user-tag: ${key} cannot be checked: the run does not say who requested it (GITHUB_ACTOR is not set).`);
  if (value === undefined) {
    throw new ActionError(
      `require-user-tag refused the reset: the IAM user has no tag ${key}, so it is not bound to a GitHub login. Tag the user with ${key} = its owner's login.`,
    );
  }
  if (!sameLogin(value.trim(), requester)) {
    throw new ActionError(
      `require-user-tag refused the reset: the IAM user's tag ${key} names another GitHub login than the requester @${requester}. ` +
        'A person may request a reset of their own IAM user only.',
    );
  }
}

/** With require-user-tag, reads the user's tag and refuses unless it names the requester; records the check. */
export async function bindRequester(
  settings: { userName: string; approval: { userTag: string | undefined } },
  audit: AuditRecord,
  session: { send<T>(call: (iam: IAMClient) => Promise<T>): Promise<T> },
): Promise<void> {
  const key = settings.approval.userTag;
  if (key === undefined) return;
  const value = await session.send((iam) => readUserTag(iam, settings.userName, key));
  audit.userTag = { key, value, requester: audit.approval?.requester ?? '' };
  checkUserTag(audit.userTag);
}
