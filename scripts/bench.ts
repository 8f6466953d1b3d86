// `npm run bench [-- --rounds 20 --json FILE --peer PATH]`: start-up and run cost of the built
// action against the local stand-in, side by side with an empty Node process (the floor) and the
// by-hand AWS CLI flow, in one run with the variants interleaved (order rotated every round), so
// the ratios to the floor hold on a shared, noisy machine. docs/PERFORMANCE.md explains each figure.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { parse } from 'yaml';
import { type RequestLogEntry, startStandin } from '../standin/index.ts';
import { type ActionRun, epochNow, NODE24, type RunOptions, runAction } from '../standin/runner.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const ACTION = join(DIST, 'index.js');
const HOOK = join(ROOT, 'scripts/bench-hook.mjs');
const AWS_CLI = '/usr/bin/aws';
const GNU_TIME = '/usr/bin/time';
// Stop starting rounds after this, so a slow machine still finishes within three minutes.
const TIME_BUDGET_MS = 120_000;

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    'phase-runs': { type: 'string', default: '10' },
    'rss-runs': { type: 'string', default: '5' },
    json: { type: 'string' },
    peer: { type: 'string', default: process.env['PEER_ACTION'] ?? '' },
    'no-manual': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(args.rounds);
const PHASE_RUNS = Number(args['phase-runs']);
const RSS_RUNS = Number(args['rss-runs']);
const started = Date.now();

if (!existsSync(ACTION)) throw new Error('dist/index.js is missing: run `npm run build` first.');
const manual = !args['no-manual'] && existsSync(AWS_CLI);
const peer = args.peer ? resolve(args.peer) : undefined;
if (peer && !existsSync(peer)) throw new Error(`--peer ${peer} does not exist`);

const work = await mkdtemp(join(tmpdir(), 'bench-'));
const EMPTY = join(work, 'empty.mjs');
await writeFile(EMPTY, '');

// When the stand-in answered each request (the log entry is recorded just before the answer).
const answeredAt = new WeakMap<RequestLogEntry, number>();
const standin = await startStandin({ onRequest: (entry) => answeredAt.set(entry, epochNow()) });
const role = standin.createRole('gha-mfa-admin', { admin: true, subject: 'repo:octo/app:*' }).arn;
standin.createUser('dora');
standin.addVirtualMfa('dora', 'dora-phone');
standin.addHardwareMfa('dora');

/** One measured run: wall time from spawn to exit, and the requests the stand-in saw. */
interface Sample {
  ms: number;
  requests: RequestLogEntry[];
  run?: ActionRun;
  /** Peak RSS in KiB (rss runs only). */
  rssKiB?: number;
}

interface Extra {
  nodeArgs?: string[];
  env?: Record<string, string>;
  rssFile?: string;
}

interface Variant {
  name: string;
  label: string;
  run(round: number, extra?: Extra): Promise<Sample>;
}

let users = 0;
const oidc = standin.oidc;

async function measured(fn: () => Promise<ActionRun>, check: (run: ActionRun) => boolean, what: string): Promise<Sample> {
  const before = standin.requests.length;
  const run = await fn();
  if (!check(run)) throw new Error(`${what} failed (exit ${run.exitCode}): ${run.errors.join('; ')}\n${run.stderr}`);
  return { ms: run.timing.closedAt - run.timing.spawnedAt, requests: standin.requests.slice(before), run };
}

function options(extra: Extra | undefined, base: RunOptions): RunOptions {
  return {
    ...base,
    ...(extra?.nodeArgs && { nodeArgs: extra.nodeArgs }),
    ...(extra?.rssFile && { wrapper: [GNU_TIME, '-f', '%M', '-o', extra.rssFile] }),
    env: { ...base.env, ...extra?.env },
  };
}

const deactivated = (run: ActionRun): boolean => run.exitCode === 0 && run.outputs['result'] === 'deactivated';

const variants: Variant[] = [
  {
    name: 'floor',
    label: 'floor: empty .mjs',
    run: (_round, extra) =>
      measured(
        () => runAction({ 'user-name': 'dora' }, options(extra, { endpoint: standin.endpoint, script: EMPTY })),
        (run) => run.exitCode === 0,
        'floor',
      ),
  },
  {
    name: 'admin',
    label: 'admin path (OIDC role)',
    run: (_round, extra) => {
      const user = `alice${++users}`;
      standin.createUser(user);
      standin.addVirtualMfa(user, `${user}-phone`);
      standin.addHardwareMfa(user);
      return measured(
        () => runAction({ 'user-name': user, 'role-to-assume': role }, options(extra, { endpoint: standin.endpoint, oidc })),
        deactivated,
        'admin path',
      );
    },
  },
  {
    name: 'step-up',
    label: 'step-up path (user keys)',
    run: (_round, extra) => {
      const user = `bob${++users}`;
      standin.createUser(user, { requireMfaForSelf: true });
      const keys = standin.createAccessKey(user);
      const { seed } = standin.addVirtualMfa(user, `${user}-phone`);
      const inputs = {
        'user-name': user,
        'mfa-token': standin.totp(seed),
        'aws-access-key-id': keys.accessKeyId,
        'aws-secret-access-key': keys.secretAccessKey,
      };
      return measured(() => runAction(inputs, options(extra, { endpoint: standin.endpoint })), deactivated, 'step-up path');
    },
  },
  {
    name: 'dry-run',
    label: 'dry run (OIDC role)',
    run: (_round, extra) =>
      measured(
        () => runAction({ 'user-name': 'dora', 'role-to-assume': role, 'dry-run': 'true' }, options(extra, { endpoint: standin.endpoint, oidc })),
        (run) => run.exitCode === 0 && run.outputs['result'] === 'dry-run',
        'dry run',
      ),
  },
];

if (peer) {
  // The peer's own inputs, with its action.yml's defaults, as the runner would set them.
  const declared = parse(await readFile(join(peer, '../../action.yml'), 'utf8').catch(() => 'inputs: {}')) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  const given: Record<string, string> = { 'role-to-assume': role, 'aws-region': 'us-east-1' };
  const peerInputs = Object.fromEntries(
    Object.entries(declared.inputs ?? {}).map(([name, input]) => [`INPUT_${name.toUpperCase()}`, given[name] ?? String(input.default ?? '')]),
  );
  // Variables every runner sets that the e2e harness leaves out because this action never reads them.
  const RUNNER_EXTRA = { GITHUB_ACTION: '__aws-actions_configure-aws-credentials', GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53' };
  variants.push({
    name: 'peer',
    label: 'peer: configure-aws-credentials',
    run: (_round, extra) =>
      measured(
        () => runAction({}, options(extra, { endpoint: standin.endpoint, oidc, script: peer, env: { ...peerInputs, ...RUNNER_EXTRA } })),
        (run) => run.exitCode === 0 && run.files.GITHUB_ENV.includes('AWS_SESSION_TOKEN'),
        'peer',
      ),
  });
}

/** The by-hand self-service flow, one AWS CLI process per call: list, refused, get-session-token, retry. */
async function manualFlow(rssFile?: string): Promise<Sample> {
  const user = `carol${++users}`;
  standin.createUser(user, { requireMfaForSelf: true });
  const keys = standin.createAccessKey(user);
  const { serial, seed } = standin.addVirtualMfa(user, `${user}-phone`);
  const asUser = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
  const before = standin.requests.length;
  let rssKiB = 0;
  const aws = async (credentials: Record<string, string>, ...cli: string[]): Promise<{ ok: boolean; stdout: string }> => {
    const command = [AWS_CLI, '--endpoint-url', standin.endpoint, '--region', 'us-east-1', '--output', 'json', ...cli];
    const [file = AWS_CLI, ...rest] = rssFile ? [GNU_TIME, '-f', '%M', '-o', rssFile, ...command] : command;
    const env = {
      PATH: '/usr/bin:/bin',
      HOME: work,
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      ...credentials,
    };
    const result = await promisify(execFile)(file, rest, { env }).then(
      ({ stdout }) => ({ ok: true, stdout }),
      (error: { stdout?: string }) => ({ ok: false, stdout: error.stdout ?? '' }),
    );
    if (rssFile) rssKiB = Math.max(rssKiB, await readRss(rssFile));
    return result;
  };
  const t0 = epochNow();
  await aws(asUser, 'iam', 'list-mfa-devices');
  const refused = await aws(asUser, 'iam', 'deactivate-mfa-device', '--user-name', user, '--serial-number', serial);
  const session = await aws(asUser, 'sts', 'get-session-token', '--serial-number', serial, '--token-code', standin.totp(seed), '--duration-seconds', '900');
  const { Credentials: c } = JSON.parse(session.stdout || '{}') as { Credentials?: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
  const retried =
    c &&
    (await aws(
      { AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken },
      'iam',
      'deactivate-mfa-device',
      '--user-name',
      user,
      '--serial-number',
      serial,
    ));
  const ms = epochNow() - t0;
  if (refused.ok || !retried?.ok || standin.devicesOf(user).length > 0) throw new Error('the by-hand AWS CLI flow did not go as expected');
  return { ms, requests: standin.requests.slice(before), ...(rssFile && { rssKiB }) };
}
if (manual) variants.push({ name: 'manual', label: 'by hand: AWS CLI, 4 processes', run: (_round, extra) => manualFlow(extra?.rssFile) });

async function readRss(file: string): Promise<number> {
  // GNU time writes "Command exited with non-zero status N" first when the command fails.
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  return Number(lines.at(-1));
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// 1. Timed rounds, interleaved: every variant once per round, the order rotated each round.
const samples = new Map<string, Sample[]>(variants.map((variant) => [variant.name, []]));
// One unmeasured round first: the page cache, the stand-in's JIT and the CLI's .pyc files warm up,
// as they are on a runner that has the action checked out. Nothing of the action itself is cached.
for (const variant of variants) await variant.run(0);
let rounds = 0;
for (; rounds < ROUNDS; rounds++) {
  if (Date.now() - started > TIME_BUDGET_MS) break;
  for (let i = 0; i < variants.length; i++) {
    const variant = variants[(i + rounds) % variants.length]!;
    samples.get(variant.name)!.push(await variant.run(rounds + 1));
  }
}

// 2. Peak RSS, in separate runs under GNU time (its own process would blur the timed runs).
const rss = new Map<string, number>();
if (existsSync(GNU_TIME)) {
  const rssFile = join(work, 'rss');
  for (const variant of variants) {
    const values: number[] = [];
    // The CLI flow takes seconds a run, and its RSS hardly varies: two runs of it are enough.
    for (let i = 0; i < (variant.name === 'manual' ? Math.min(2, RSS_RUNS) : RSS_RUNS); i++) {
      const sample = await variant.run(0, { rssFile });
      values.push(sample.rssKiB ?? (await readRss(rssFile)));
    }
    rss.set(variant.name, median(values));
  }
}

// 3. The admin path by phase, in separate runs with the timing hook preloaded.
interface Phase {
  name: string;
  ms: number;
}
const phaseRuns: Phase[][] = [];
const chunksLoaded = new Set<string>();
const adminVariant = variants.find((variant) => variant.name === 'admin')!;
for (let i = 0; i < PHASE_RUNS; i++) {
  const file = join(work, 'phases.json');
  const sample = await adminVariant.run(0, {
    nodeArgs: ['--import', pathToFileURL(HOOK).href],
    env: { BENCH_PHASES_FILE: file, BENCH_ENTRY_URL: pathToFileURL(ACTION).href },
  });
  const marks = JSON.parse(await readFile(file, 'utf8')) as [string, number][];
  phaseRuns.push(phasesOf(marks, sample));
  for (const [name] of marks)
    if (name.startsWith('loaded:') && name.endsWith('.js') && name !== 'loaded:index.js') chunksLoaded.add(name.slice('loaded:'.length));
}

/** Turns one run's marks into consecutive phases that add up to its wall time. */
function phasesOf(marks: readonly [string, number][], sample: Sample): Phase[] {
  const first = (name: string | RegExp): number => {
    const found = marks.find(([mark]) => (typeof name === 'string' ? mark === name : name.test(mark)));
    if (!found) throw new Error(`no mark ${String(name)}`);
    return found[1];
  };
  const all = (pattern: RegExp): number[] => marks.filter(([mark]) => pattern.test(mark)).map(([, time]) => time);
  const { spawnedAt, closedAt } = sample.run!.timing;
  const firstRequest = first(/^request:/);
  const lastInput = Math.max(...all(/^env:INPUT_/).filter((time) => time < firstRequest));
  const starts = all(/^request:/);
  const ends = all(/^response:/);
  if (starts.length !== sample.requests.length || ends.length !== sample.requests.length) {
    throw new Error(`the hook saw ${starts.length} requests, the stand-in ${sample.requests.length}`);
  }
  const points: [string, number][] = [
    ['Node start (to the preloaded hook)', first('hook')],
    ['read dist/index.js', first('loaded:index.js')],
    ['compile and link the bundle', first('eval')],
    ['top-level module code', first(/^env:INPUT_/)],
    ['inputs', lastInput],
  ];
  sample.requests.forEach((entry, i) => {
    const answered = answeredAt.get(entry) ?? ends[i]!;
    const previous = i === 0 ? lastInput : ends[i - 1]!;
    const name = entry.action === 'GetIDToken' ? 'OIDC token' : entry.action;
    // Client work before the request leaves, the stand-in's answer, the client receiving it.
    points.push([`${name}: client before sending`, Math.max(previous, starts[i]!)]);
    points.push([`${name}: until the stand-in answered`, Math.max(starts[i]!, answered)]);
    points.push([`${name}: response received`, ends[i]!]);
  });
  points.push(['outputs', first('env:GITHUB_STEP_SUMMARY')]);
  points.push(['summary, until the event loop is empty', first('exit')]);
  points.push(['exit (to the parent seeing it close)', closedAt]);
  let previous = spawnedAt;
  return points.map(([name, time]) => {
    const phase = { name, ms: time - previous };
    previous = Math.max(previous, time);
    return phase;
  });
}

await standin.close();
await rm(work, { recursive: true, force: true });

// Figures.
const floor = samples.get('floor')!;
const results = variants.map((variant) => {
  const runs = samples.get(variant.name)!;
  const ratios = runs.map((sample, round) => sample.ms / floor[round]!.ms);
  const counts: Record<string, number> = {};
  for (const entry of runs[0]?.requests ?? []) counts[entry.action] = (counts[entry.action] ?? 0) + 1;
  return {
    name: variant.name,
    label: variant.label,
    medianMs: median(runs.map((sample) => sample.ms)),
    minMs: Math.min(...runs.map((sample) => sample.ms)),
    ratioToFloor: median(ratios),
    peakRssKiB: rss.get(variant.name),
    requests: runs[0]?.requests.length ?? 0,
    requestsByAction: counts,
  };
});

async function jsFiles(dir: string): Promise<{ file: string; bytes: number }[]> {
  const files: { file: string; bytes: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(c|m)?js$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({ file: relative(ROOT, path), bytes: (await stat(path)).size });
  }
  return files.sort((a, b) => b.bytes - a.bytes);
}
const distFiles = await jsFiles(DIST);
const distBytes = distFiles.reduce((sum, file) => sum + file.bytes, 0);
const peerBytes = peer ? (await stat(peer)).size : undefined;

const phaseNames = phaseRuns[0]?.map((phase) => phase.name) ?? [];
const phases = phaseNames.map((name, i) => ({ name, ms: median(phaseRuns.map((run) => run[i]?.ms ?? 0)) }));

const fmt = (value: number, digits = 1): string => value.toFixed(digits);
const MB = (bytes: number): string => `${(bytes / 1e6).toFixed(3)} MB`;
console.log(
  `npm run bench: Node ${(await promisify(execFile)(NODE24, ['--version'])).stdout.trim()}, ${rounds} rounds, variants interleaved; NODE_EXTRA_CA_CERTS unset for every run`,
);
if (rounds < ROUNDS) console.log(`(stopped after ${rounds} of ${ROUNDS} rounds: the ${TIME_BUDGET_MS / 1000} s budget ran out)`);
console.log('');
console.log(`${'variant'.padEnd(34)}${'median ms'.padStart(10)}${'min ms'.padStart(9)}${'× floor'.padStart(9)}${'peak RSS'.padStart(11)}  requests`);
for (const result of results) {
  const rssText = result.peakRssKiB === undefined ? 'n/a' : `${fmt(result.peakRssKiB / 1024)} MiB`;
  const requestText = Object.entries(result.requestsByAction)
    .map(([action, count]) => `${action}×${count}`)
    .join(' ');
  console.log(
    `${result.label.padEnd(34)}${fmt(result.medianMs).padStart(10)}${fmt(result.minMs).padStart(9)}${fmt(result.ratioToFloor, 2).padStart(9)}${rssText.padStart(11)}  ${result.requests} ${requestText}`,
  );
}
console.log(`× floor: the median of the per-round ratios. Peak RSS: median of ${RSS_RUNS} runs under GNU time (the CLI flow: its largest process, 2 runs).`);
console.log('');
console.log(
  `dist/ JavaScript: ${MB(distBytes)} in ${distFiles.length} files (licence excluded)${peerBytes ? `; the peer's dist/index.js: ${MB(peerBytes)}` : ''}`,
);
for (const file of distFiles) console.log(`  ${String(file.bytes).padStart(9)}  ${file.file}`);
console.log('');
console.log(
  `admin path by phase (median of ${phaseRuns.length} runs with scripts/bench-hook.mjs preloaded; chunks loaded: ${[...chunksLoaded].join(', ') || 'none'}):`,
);
for (const phase of phases) console.log(`  ${fmt(phase.ms).padStart(7)} ms  ${phase.name}`);
console.log(`  ${fmt(phases.reduce((sum, phase) => sum + phase.ms, 0)).padStart(7)} ms  in all (the hook's own cost included)`);
console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);

if (args.json) {
  const figures = {
    date: new Date().toISOString(),
    node: (await promisify(execFile)(NODE24, ['--version'])).stdout.trim(),
    rounds,
    variants: results.map((result) => ({ ...result, samplesMs: samples.get(result.name)!.map((sample) => sample.ms) })),
    dist: { bytes: distBytes, files: distFiles },
    ...(peerBytes !== undefined && { peer: { path: peer, bytes: peerBytes } }),
    adminPhases: phases,
    chunksLoadedOnAdminPath: [...chunksLoaded],
  };
  await writeFile(args.json, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`figures written to ${args.json}`);
}
