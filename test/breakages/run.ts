// Applies each break of breaks.ts to a scratch copy of a tree and runs its test suite there, to
// prove the suite catches it. Run with the pinned Node 24 (it strips the types):
//
//   node test/breakages/run.ts --tree after --repo . [--out results.json] [break ids…]
//   node test/breakages/run.ts --tree before --repo /tmp/before [--project default] [break ids…]
//   node test/breakages/run.ts --check --repo . --before-repo /tmp/before   (every edit applies, nothing runs)
//
// The copy is the repository's committed tree (git archive HEAD) with node_modules linked. The
// "before" tree's end-to-end tests run the committed dist/, so the break is built into dist/ there
// first; the "after" tree's e2e set-up builds it. "none" runs the unbroken tree (it must pass).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { type Break, BREAKS, type Edit } from './breaks.ts';

const exec = promisify(execFile);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tree: { type: 'string' },
    repo: { type: 'string', default: '.' },
    'before-repo': { type: 'string' },
    project: { type: 'string', multiple: true },
    out: { type: 'string' },
    check: { type: 'boolean', default: false },
  },
});

function apply(root: string, edits: readonly Edit[]): void {
  for (const { file, from, to } of edits) {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${file}: the text to replace occurs ${at < 0 ? 'nowhere' : 'more than once'}: ${from}`);
    writeFileSync(path, text.slice(0, at) + to + text.slice(at + from.length));
  }
}

async function scratchCopy(repo: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'breakage-'));
  await exec('sh', ['-c', `git -C "${repo}" archive HEAD | tar -x -C "${dir}"`]);
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

interface Outcome {
  id: string;
  failed: string[];
  passed: number;
  seconds: number;
  error?: string;
}

async function runOne(repo: string, tree: 'before' | 'after', broken: Break | undefined): Promise<Outcome> {
  const dir = await scratchCopy(repo);
  const started = performance.now();
  const id = broken?.id ?? 'none';
  try {
    if (broken) apply(dir, broken[tree]);
    const node = join(dir, 'node_modules/.bin/node');
    if (tree === 'before') await exec(node, ['scripts/build.ts'], { cwd: dir, maxBuffer: 64 << 20 });
    const report = join(dir, 'vitest.json');
    const projects = (values.project ?? []).flatMap((name) => ['--project', name]);
    await exec(node, ['node_modules/vitest/vitest.mjs', 'run', ...projects, '--reporter=json', `--outputFile=${report}`], {
      cwd: dir,
      maxBuffer: 256 << 20,
      env: { ...process.env, CI: '1' },
    }).catch(() => undefined);
    if (!existsSync(report)) return { id, failed: [], passed: 0, seconds: (performance.now() - started) / 1000, error: 'no report: the suite did not run' };
    const result = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      testResults: { name: string; message?: string; assertionResults: { fullName: string; status: string }[] }[];
    };
    const failed = result.testResults.flatMap((file) => {
      const name = file.name.slice(dir.length + 1);
      const tests = file.assertionResults.filter((test) => test.status === 'failed').map((test) => `${name} › ${test.fullName}`);
      // A file that failed to load or whose hooks failed has no failed tests of its own.
      return tests.length > 0 || !file.message ? tests : [`${name} (the file failed: ${file.message.split('\n')[0]})`];
    });
    return { id, failed, passed: result.numPassedTests, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const repo = resolve(values.repo);
  if (values.check) {
    for (const [tree, root] of [
      ['after', repo],
      ['before', values['before-repo'] && resolve(values['before-repo'])],
    ] as const) {
      if (!root) continue;
      for (const broken of BREAKS) {
        const dir = await scratchCopy(root);
        try {
          apply(dir, broken[tree]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      console.log(`${tree}: all ${BREAKS.length} breaks apply`);
    }
    return;
  }
  const tree = values.tree;
  if (tree !== 'before' && tree !== 'after') throw new Error('--tree before|after');
  const chosen = positionals.length > 0 ? positionals : ['none', ...BREAKS.map((b) => b.id)];
  const outcomes: Outcome[] = [];
  for (const id of chosen) {
    const broken = id === 'none' ? undefined : BREAKS.find((b) => b.id === id);
    if (id !== 'none' && !broken) throw new Error(`no break ${id}`);
    const outcome = await runOne(repo, tree, broken);
    outcomes.push(outcome);
    const verdict = id === 'none' ? (outcome.failed.length === 0 ? 'passes' : 'FAILS UNBROKEN') : outcome.failed.length > 0 ? 'caught' : 'NOT CAUGHT';
    console.log(
      `${tree} ${id}: ${verdict} (${outcome.failed.length} failed, ${outcome.passed} passed, ${outcome.seconds.toFixed(0)} s)${outcome.error ? ` ${outcome.error}` : ''}`,
    );
    for (const name of outcome.failed) console.log(`    ${name}`);
    if (values.out) writeFileSync(values.out, JSON.stringify(outcomes, null, 2));
  }
}

await main();
