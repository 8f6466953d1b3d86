import { describe, expect, it } from 'vitest';
import { nameForms } from '../../src/aws/user.ts';

describe('nameForms: every case form of a user name in a text', () => {
  it.each([
    { text: 'arn:aws:iam::123456789012:user/alice', name: 'ALICE', expected: ['alice'] },
    { text: 'user/Alice and alice-phone and ALICE', name: 'alice', expected: ['Alice', 'alice', 'ALICE'] },
    { text: 'a.b and aXb', name: 'a.b', expected: ['a.b'] },
    { text: 'nothing here', name: 'alice', expected: [] },
    { text: 'anything', name: '', expected: [] },
  ])('$name in "$text"', ({ text, name, expected }) => {
    expect(nameForms(text, name)).toEqual(expected);
  });
});
