// The request-file format: what it accepts agrees with YAML, and every refusal names the file and field.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseRequestFile } from '../../src/inputs/request-file.ts';

const FILE = 'mfa-resets/2026-11-24-alice.yml';

describe('parseRequestFile accepts', () => {
  it.each([
    {
      name: 'the three fields',
      text: 'user-name: alice\nreason: lost her phone\nticket: OPS-123\n',
      expected: { userName: 'alice', reason: 'lost her phone', ticket: 'OPS-123' },
    },
    {
      name: 'no ticket, comments, a document start',
      text: '---\n# reset request\nuser-name: alice\n\nreason: lost her phone\n',
      expected: { userName: 'alice', reason: 'lost her phone', ticket: undefined },
    },
    {
      name: 'quoted values',
      text: `user-name: "alice"\nreason: 'phone #2 stolen: reported'\n`,
      expected: { userName: 'alice', reason: 'phone #2 stolen: reported', ticket: undefined },
    },
    { name: 'CRLF line ends', text: 'user-name: alice\r\nreason: lost\r\n', expected: { userName: 'alice', reason: 'lost', ticket: undefined } },
    {
      name: 'a ticket URL',
      text: 'user-name: alice\nreason: lost\nticket: https://jira.example.com/browse/OPS-1\n',
      expected: { userName: 'alice', reason: 'lost', ticket: 'https://jira.example.com/browse/OPS-1' },
    },
  ])('$name, as YAML reads it', ({ text, expected }) => {
    const request = parseRequestFile(FILE, text);
    expect(request).toEqual({ file: FILE, ...expected });
    const yaml = parse(text) as Record<string, string>;
    expect([yaml['user-name'], yaml['reason'], yaml['ticket']]).toEqual([request.userName, request.reason, request.ticket]);
  });
});

describe('parseRequestFile refuses', () => {
  it.each([
    { name: 'a missing user-name', text: 'reason: lost\n', expected: `${FILE}: field user-name is required` },
    { name: 'a missing reason', text: 'user-name: alice\n', expected: `${FILE}: field reason is required` },
    { name: 'an empty reason', text: 'user-name: alice\nreason:\n', expected: `${FILE}: field reason is required` },
    { name: 'a user name IAM would refuse', text: 'user-name: alice smith\nreason: lost\n', expected: `${FILE}: field user-name must be an IAM user name` },
    { name: 'an unknown field', text: 'user-name: alice\nreason: lost\nurgent: yes\n', expected: `${FILE}: line 3: unknown field "urgent"` },
    { name: 'a field given twice', text: 'user-name: alice\nuser-name: bob\nreason: lost\n', expected: `${FILE}: line 2: field user-name is given twice` },
    { name: 'a line that is not field: value', text: 'user-name alice\nreason: lost\n', expected: `${FILE}: line 1 is not \`field: value\`` },
    { name: 'a YAML list', text: 'user-name:\n  - alice\nreason: lost\n', expected: `${FILE}: line 2 is not` },
    {
      name: 'a plain value with a comment',
      text: 'user-name: alice\nreason: lost # really\n',
      expected: `${FILE}: line 2: field reason has a value this format does not accept`,
    },
    { name: 'an unterminated quote', text: 'user-name: "alice\nreason: lost\n', expected: `${FILE}: line 1: field user-name has a value` },
    { name: 'a flow mapping', text: 'user-name: {a: b}\nreason: lost\n', expected: `${FILE}: line 1: field user-name has a value` },
    { name: 'a bad ticket', text: 'user-name: alice\nreason: lost\nticket: "a b"\n', expected: `${FILE}: field ticket must be` },
    { name: 'a huge file', text: `user-name: alice\nreason: ${'x'.repeat(5000)}\n`, expected: `${FILE}: is larger than 4096 bytes` },
  ])('$name', ({ text, expected }) => {
    expect(() => parseRequestFile(FILE, text)).toThrow(expected);
  });
});
