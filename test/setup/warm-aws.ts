// The AWS CLI the tests run (test/standin/, and the live test's `run:` steps, which find it first on
// PATH): Debian's, through warm-aws.py, which imports it once and forks it per call (a cold start is
// about 0.4 s of CPU, and the tests make over a hundred calls). Any other CLI (STANDIN_AWS_CLI) is
// used as it is.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const SERVER = join(import.meta.dirname, 'warm-aws.py');

/** Debian's awscli 2.x (.ci/run installs it; it ignores AWS_ENDPOINT_URL, hence --endpoint-url), or STANDIN_AWS_CLI. */
export const AWS_CLI = process.env['STANDIN_AWS_CLI'] ?? '/usr/bin/aws';

/** Skips the test when AWS_CLI is missing; in CI, which installs it, fails it instead. */
export function requireAwsCli(skip: (note: string) => void): void {
  if (existsSync(AWS_CLI)) return;
  if (process.env['CI']) throw new Error(`${AWS_CLI} is missing: .ci/run should have installed Debian's awscli`);
  skip(`${AWS_CLI} is not installed (apt-get install awscli); set STANDIN_AWS_CLI to use another aws`);
}

export interface WarmAwsCli {
  /** The folder to put first on PATH: it holds `aws`. */
  readonly bin: string;
  close(): Promise<void>;
}

/** The Python that runs `cli`, when it is the CLI's Python entry point (#!…python3 … awscli.clidriver). */
async function pythonOf(cli: string): Promise<string | undefined> {
  const text = await readFile(cli, 'utf8').catch(() => '');
  const python = /^#!(\S*python3?)\s*$/m.exec(text.split('\n', 1)[0] ?? '')?.[1];
  return python && text.includes('awscli.clidriver') ? python : undefined;
}

export async function warmAwsCli(cli: string): Promise<WarmAwsCli> {
  const python = await pythonOf(cli);
  if (!python) return { bin: dirname(cli), close: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'warm-aws-'));
  const socket = join(dir, 'socket');
  const server: ChildProcess = spawn(python, [SERVER, 'serve', socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.once('exit', (code) => fail(new Error(`warm-aws.py exited with ${code} before it listened`)));
    server.stdout?.once('data', () => ready());
  });
  server.removeAllListeners('exit');
  const bin = join(dir, 'bin');
  await mkdir(bin);
  // -I -S: the client is a few lines of the standard library; it needs no site packages.
  await writeFile(join(bin, 'aws'), `#!/bin/sh\nexec '${python}' -I -S '${SERVER}' call '${socket}' "$@"\n`);
  await chmod(join(bin, 'aws'), 0o755);
  return {
    bin,
    close: async () => {
      server.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
