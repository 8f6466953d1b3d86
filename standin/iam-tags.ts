// IAM ListUserTags (Version 2010-05-08): a user's tags sorted by key, paged with MaxItems/Marker,
// in the IAM API reference's response shape (Tags, then IsTruncated and Marker).
import type { ActionHandler } from './handler.ts';
import { decodeMarker, encodeMarker } from './marker.ts';
import { intParam, PATTERNS, validate } from './params.ts';
import { authorize, userTarget } from './policy.ts';

export const listUserTags: ActionHandler = async (context) => {
  validate(context.params, {
    UserName: { ...PATTERNS.name, required: true, minLength: 1, maxLength: 128 },
    MaxItems: { min: 1, max: 1000 },
    Marker: { pattern: /^[\u0020-\u00FF]+$/, patternText: '[\\u0020-\\u00FF]+', minLength: 1, maxLength: 320 },
  });
  const name = context.params.get('UserName')!;
  // Authorize first, then require the user: AWS checks in that order.
  await authorize(context.account, context.identity, 'iam:ListUserTags', userTarget(context.account, name));
  const user = context.account.requireUser(name);
  const tags = Object.entries(user.tags)
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const maxItems = Math.min(intParam(context.params, 'MaxItems', 100), context.account.listPageSize ?? Infinity);
  const marker = context.params.get('Marker');
  const start = marker === undefined ? 0 : decodeMarker('ListUserTags', marker);
  const truncated = start + maxItems < tags.length;
  return {
    Tags: tags.slice(start, start + maxItems).map((tag) => ({ Key: tag.key, Value: tag.value })),
    IsTruncated: truncated,
    Marker: truncated ? encodeMarker('ListUserTags', start + maxItems) : undefined,
  };
};
