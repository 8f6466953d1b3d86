// run() in this process, with everything real but the Actions runner: the action's own awsConnector
// (real SDK clients, retries, per-attempt timeouts, the deadline middleware) and octokitConnector,
// pointed at a local stand-in; an in-memory runner holds the inputs, the run's GITHUB_* facts, and
// everything the action tells the runner. The deadline may be given in milliseconds, so a fault
// that only the run's time limit ends costs milliseconds, not the 5 s minimum of timeout-seconds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { expect } from 'vitest';
import { octokitConnector } from '../../src/approvals/github.ts';
import { awsConnector } from '../../src/aws/clients.ts';
import { type Deps, run } from '../../src/main.ts';
import { runFacts } from '../../src/runner/context.ts';
import { Deadline } from '../../src/runner/deadline.ts';
import type { Runner } from '../../src/runner/runner.ts';
import type { RequestLogEntry, Standin } from '../../standin/index.ts';

/** One thing the action told the runner, in order; `at`: how many requests the stand-in had answered by then. */
export type RunnerEvent = { kind: 'mask' | 'info' | 'warning' | 'fail'; text: string; at: number };

export interface RunResult {
  events: RunnerEvent[];
  /** The events as the runner's stdout would hold them: `::add-mask::…`, plain lines, `::warning::…`, `::error::…`. */
  lines: string[];
  outputs: Record<string, string>;
  summary: string;
  /** The one failure message, or undefined when the run succeeded. */
  failure: string | undefined;
  masked: readonly string[];
  /** Requests the stand-in saw during this run. */
  requests: RequestLogEntry[];
}

export interface InProcessOptions {
  /** The job may request an OIDC token (`permissions: id-token: write`). Default true. */
  oidc?: boolean;
  /**
   * Ends the run's time limit when this settles, whatever timeout-seconds says (which still sizes
   * each attempt): a fault that only the deadline can end then costs milliseconds, and the calls
   * before it are never raced against a clock however slow the machine is.
   */
  expires?: Promise<unknown>;
}

const LINE = { mask: '::add-mask::', info: '', warning: '::warning::', fail: '::error::' } as const;

/** An in-memory Actions runner: inputs from a map, every mask, line, output and the summary captured. */
function memoryRunner(inputs: Record<string, string>, env: Record<string, string>, idToken: Runner['idToken'], requests: () => number) {
  const events: RunnerEvent[] = [];
  const note = (kind: RunnerEvent['kind'], text: string): void => void events.push({ kind, text, at: requests() });
  const outputs: Record<string, string> = {};
  const masked: string[] = [];
  let summary = '';
  const runner: Runner = {
    input: (name) => inputs[name] ?? '',
    run: runFacts(env),
    mask(secret) {
      if (masked.includes(secret)) return;
      masked.push(secret);
      note('mask', secret);
    },
    masked: () => masked,
    info: (text) => note('info', text),
    warning: (text) => note('warning', text),
    fail: (text) => note('fail', text),
    setOutput: (name, value) => void (outputs[name] = value),
    // @actions/core's summary buffer, composed and read back at once (synchronously, so concurrent runs never share it).
    writeSummary: async (compose) => {
      summary += compose(core.summary.emptyBuffer()).stringify();
      core.summary.emptyBuffer();
    },
    idToken,
  };
  return { runner, events, outputs, masked, summary: () => summary };
}

/** What @actions/core's getIDToken does, against the stand-in's token endpoint (and its error without the permission). */
function oidcTokens(standin: Standin, allowed: boolean): Runner['idToken'] {
  return async (audience) => {
    if (!allowed) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
    const response = await fetch(`${standin.oidc.requestUrl}&audience=${encodeURIComponent(audience)}`, {
      headers: { Authorization: `Bearer ${standin.oidc.requestToken}` },
    });
    const body = (await response.json().catch(() => ({}))) as { value?: string; message?: string };
    if (!response.ok || !body.value) throw new Error(`Failed to get ID Token. Error Code : ${response.status} Error Message: ${body.message ?? ''}`);
    return body.value;
  };
}

/** Runs the action's run() once against `standin`, as a job with the runner's usual GITHUB_* facts. */
export async function runInProcess(standin: Standin, inputs: Record<string, string>, options: InProcessOptions = {}): Promise<RunResult> {
  const workspace = await mkdtemp(join(tmpdir(), 'run-workspace-'));
  try {
    const env = {
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: standin.github.apiUrl,
      GITHUB_WORKFLOW: 'Reset IAM MFA',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_ACTOR: 'octocat',
      GITHUB_TRIGGERING_ACTOR: 'octocat',
      GITHUB_SHA: 'f00dfeed00000000000000000000000000000001',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_WORKSPACE: workspace,
    };
    const first = standin.requests.length;
    const memory = memoryRunner(inputs, env, oidcTokens(standin, options.oidc ?? true), () => standin.requests.length - first);
    const deps: Deps = {
      runner: memory.runner,
      connect: (region, deadline) => awsConnector(region, deadline, standin.endpoint),
      github: octokitConnector,
      deadline: (seconds) => (options.expires ? expiring(new Deadline(seconds), options.expires) : new Deadline(seconds)),
    };
    await run(deps);
    const fails = memory.events.filter((event) => event.kind === 'fail');
    if (fails.length > 1) throw new Error(`the runner was failed ${fails.length} times`);
    return {
      events: memory.events,
      lines: memory.events.map((event) => `${LINE[event.kind]}${event.text}`),
      outputs: memory.outputs,
      summary: memory.summary(),
      failure: fails[0]?.text,
      masked: memory.masked,
      requests: standin.requests.slice(first),
    };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

/**
 * The run's deadline, ended early when `expires` settles: its signal (which every AWS request, the
 * deadline's race and the GitHub calls read) also aborts then, as AbortSignal.timeout would.
 */
function expiring(deadline: Deadline, expires: Promise<unknown>): Deadline {
  const expired = new AbortController();
  void expires.then(() => expired.abort(new DOMException("The run's time limit ran out.", 'TimeoutError')));
  Object.defineProperty(deadline, 'signal', { value: AbortSignal.any([deadline.signal, expired.signal]) });
  return deadline;
}

/** A promise and the function that settles it, e.g. from a stand-in fault's onHit. */
export function trigger(delayMs = 0): { fired: Promise<void>; fire: () => void } {
  let fire = (): void => {};
  const fired = new Promise<void>((resolve) => (fire = () => void setTimeout(resolve, delayMs)));
  return { fired, fire };
}

/**
 * Where a secret shows up that it must not: in an output, the summary, or any line other than its
 * own mask (the runner would mask it, but the action never prints a credential at all).
 */
export function leaksOf(result: RunResult, secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const secret of secrets.filter((s) => s.length > 0)) {
    for (const [name, value] of Object.entries(result.outputs)) if (value.includes(secret)) leaks.push(`output ${name} holds ${preview(secret)}`);
    if (result.summary.includes(secret)) leaks.push(`the summary holds ${preview(secret)}`);
    for (const event of result.events) {
      if (event.text.includes(secret) && !(event.kind === 'mask' && event.text === secret))
        leaks.push(`${event.kind} "${event.text.replace(secret, '<secret>')}" holds ${preview(secret)}`);
    }
  }
  return leaks;
}

/** Asserts that no secret the stand-in issued (and none of `extra`) leaks from the run. */
export function expectNoLeaks(standin: Standin, result: RunResult, extra: readonly string[] = []): void {
  expect(leaksOf(result, [...standin.issuedSecrets(), ...extra])).toEqual([]);
}

/** Secrets not masked before the first line that is not a mask. */
export function maskedFirst(result: RunResult, secrets: readonly string[]): string[] {
  const firstOther = result.events.findIndex((event) => event.kind !== 'mask');
  const before = result.events.slice(0, firstOther < 0 ? result.events.length : firstOther);
  return secrets.filter((secret) => !before.some((event) => event.kind === 'mask' && event.text === secret));
}

/** Lines that print `value` before it was masked. */
export function printedBeforeMask(result: RunResult, value: string): string[] {
  const maskAt = result.events.findIndex((event) => event.kind === 'mask' && event.text === value);
  const end = maskAt < 0 ? result.events.length : maskAt;
  return result.events.slice(0, end).flatMap((event) => (event.kind !== 'mask' && event.text.includes(value) ? [event.text] : []));
}

function preview(secret: string): string {
  return `a secret (${secret.length} characters, starting ${secret.slice(0, 3)}…)`;
}

/** The summary's table row for a serial, tags dropped. */
export function summaryRow(result: RunResult, serial: string): string {
  const row = result.summary.match(/<tr>.*?<\/tr>/g)?.find((candidate) => candidate.startsWith(`<tr><td><code>${serial}</code></td>`));
  return (
    row
      ?.replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim() ?? `(no row for ${serial} in ${result.summary})`
  );
}

export const serials = (json: string | undefined): string[] => JSON.parse(json ?? 'null') as string[];

export { it } from '../fixtures/standin.ts';
