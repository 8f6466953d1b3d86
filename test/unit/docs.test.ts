// The README and action.yml must agree, and every output the code sets must be declared.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULTS_MODULE, renderDefaults, withTables } from '../../scripts/docs.ts';
import { outputsOf } from '../../src/report/outputs.ts';
import { emptyReport } from './records.ts';

const actionYml = readFileSync('action.yml', 'utf8');
const action = parse(actionYml) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string } };

describe('action.yml', () => {
  it('runs the bundle on node24', () => expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' }));

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(outputsOf(emptyReport())).sort()).toEqual(Object.keys(action.outputs).sort());
  });
  // Every input the code reads is declared: the inputs are typed by the names generated from
  // action.yml (src/inputs/defaults.ts, checked below). Every declared input is read: each has a
  // row in test/unit/bad-inputs.test.ts whose refusal names it.
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

describe('the documentation', () => {
  it('names only test files that exist (the threat model cites tests as proofs)', () => {
    const docs = ['README.md', 'CONTRIBUTING.md', 'examples/README.md', ...readdirSync('docs').map((name) => `docs/${name}`)].filter((file) =>
      file.endsWith('.md'),
    );
    const cited = docs.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/`(test\/[\w./-]+\.ts)\b/g)].map(([, path]) => `${file}: ${path}`));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((entry) => !existsSync(entry.slice(entry.indexOf(': ') + 2)))).toEqual([]);
  });
});
