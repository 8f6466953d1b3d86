// The bundle's stand-in for undici (build/undici-on-demand.ts): what @actions/http-client and
// @actions/github get from it must be undici's own ProxyAgent and fetch, loaded on first use from
// dist/undici.cjs. Run under Node 24 against the built dist/, as the runner would load it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { NODE24 } from '../../standin/runner.ts';

const DIST = resolve(import.meta.dirname, '../../dist');

function node24(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(NODE24, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

it("gives undici's own ProxyAgent and fetch, loaded only when first used", async () => {
  const server = createServer((request, response) => response.end(`seen ${request.url}`));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  try {
    const module = pathToFileURL(join(DIST, 'undici-on-demand.js')).href;
    const undici = join(DIST, 'undici.cjs');
    const run = await node24(`
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).includes(${JSON.stringify(undici)});
      const { ProxyAgent, fetch } = await import(${JSON.stringify(module)});
      const before = loaded();
      const agent = new ProxyAgent({ uri: 'http://127.0.0.1:9' });
      const answer = await (await fetch('http://127.0.0.1:${port}/probe')).text();
      console.log(JSON.stringify({ before, after: loaded(), agent: agent.constructor.name, dispatch: typeof agent.dispatch, answer }));
      await agent.close();
    `);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ before: false, after: true, agent: 'ProxyAgent', dispatch: 'function', answer: 'seen /probe' });
  } finally {
    server.close();
  }
});
