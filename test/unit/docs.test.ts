// The README and action.yml must agree, and every output the code sets must be declared.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULTS_MODULE, renderDefaults, withTables } from '../../scripts/docs.ts';
import { newRecord, outputsOf } from '../../src/report.ts';
import { newAuditRecord } from '../../src/audit.ts';
import { auditOutputs } from '../../src/audit-report.ts';

const actionYml = readFileSync('action.yml', 'utf8');
const action = parse(actionYml) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string } };

describe('action.yml', () => {
  it('runs the bundle on node24', () => expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' }));

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys({ ...outputsOf(newRecord()), ...auditOutputs(newAuditRecord('0')) }).sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('declares every input the code reads, and reads every input it declares', () => {
    const read = new Set<string>();
    for (const file of ['src/inputs/read.ts', 'src/main.ts', 'src/inputs/approval.ts']) {
      for (const [, ...names] of readFileSync(file, 'utf8').matchAll(/raw(?:\['([a-z-]+)'\]|\.([a-z]+)\b)|read\w+\(raw, '([a-z-]+)'/g)) {
        read.add(names.find((name) => name !== undefined) ?? '');
      }
    }
    expect([...read].filter((name) => !(name in action.inputs))).toEqual([]);
    expect(Object.keys(action.inputs).filter((name) => !read.has(name))).toEqual([]);
  });
});

describe(DEFAULTS_MODULE, () => {
  it("holds action.yml's input defaults (run `npm run docs`)", () => {
    expect(readFileSync(DEFAULTS_MODULE, 'utf8')).toBe(renderDefaults(actionYml));
  });
});

describe('README.md', () => {
  it('has the inputs and outputs tables of action.yml (run `npm run docs`)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(withTables(readme, actionYml));
  });

  it('shows the quick start commands', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toContain('npm ci && npm run demo');
  });
});
