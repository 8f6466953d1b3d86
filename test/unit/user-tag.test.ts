// require-user-tag's verdict, decided in one place: a tag of digits is an account id, compared with
// the requester's id (it survives renames); anything else is a login, compared ignoring case.
import { describe, expect, it } from 'vitest';
import { requireUserTag, userTagCheck } from '../../src/aws/user-tag.ts';

const ASMITH = { login: 'asmith', id: 583231 };

describe('userTagCheck', () => {
  it.each([
    { name: "the requester's account id", value: '583231', requester: ASMITH, matches: true },
    { name: 'the account id, spaces around it', value: ' 583231 ', requester: ASMITH, matches: true },
    { name: "another account's id", value: '583232', requester: ASMITH, matches: false },
    { name: 'an id when the requester has none known', value: '583231', requester: { login: 'asmith', id: undefined }, matches: false },
    { name: "the requester's login, another case", value: 'ASmith', requester: ASMITH, matches: true },
    { name: "another login (the old owner's, now reclaimed)", value: 'mallory', requester: ASMITH, matches: false },
    { name: 'a login that only contains the requester', value: 'asmith-old', requester: ASMITH, matches: false },
    { name: 'an empty tag', value: '', requester: ASMITH, matches: false },
    { name: 'no tag', value: undefined, requester: ASMITH, matches: false },
  ])('$name', ({ value, requester, matches }) => {
    expect(userTagCheck('github-id', value, requester)).toEqual({ key: 'github-id', value, requester, matches });
  });
});

describe('requireUserTag', () => {
  it.each([
    { name: 'a match passes', check: userTagCheck('github-id', '583231', ASMITH), error: undefined },
    {
      name: 'an untagged user',
      check: userTagCheck('github-id', undefined, ASMITH),
      error: 'the IAM user has no tag github-id, so it is not bound to a GitHub account',
    },
    {
      name: "another person's user",
      check: userTagCheck('github-id', '1', ASMITH),
      error: 'names another GitHub account than the requester @asmith (id 583231)',
    },
    { name: 'no requester', check: userTagCheck('github-id', '1', { login: '', id: undefined }), error: 'the run does not say who requested it' },
  ])('$name', ({ check, error }) => {
    if (error === undefined) expect(() => requireUserTag(check)).not.toThrow();
    else expect(() => requireUserTag(check)).toThrow(error);
  });
});
