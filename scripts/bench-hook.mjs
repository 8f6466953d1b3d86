// Preloaded with `--import` by `npm run bench` (phase runs only, never the timed ones): records
// when each phase of a run begins, without touching dist/ or the action's behaviour.
// - module load: the loader hook times reading each file of the bundle, and puts one call to
//   mark('eval') in front of the entry's source in memory, so evaluation start is known;
// - inputs and OIDC: the first and last read of an INPUT_* variable, the first read of
//   ACTIONS_ID_TOKEN_REQUEST_URL, and GITHUB_OUTPUT (outputs, then the summary);
// - HTTP: Node's own diagnostics channels for each client request's start and response end;
// - exit: the process's 'exit' event.
// Plain JavaScript (.mjs), so Node does not load its TypeScript stripper for it.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const now = () => performance.timeOrigin + performance.now();
const marks = [['hook', now()]];
const mark = (name) => marks.push([name, now()]);
const out = process.env.BENCH_PHASES_FILE;

globalThis[Symbol.for('bench.mark')] = mark;
registerHooks({
  load(url, context, nextLoad) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    mark(`load:${name}`);
    const result = nextLoad(url, context);
    mark(`loaded:${name}`);
    if (url === process.env.BENCH_ENTRY_URL) {
      // Imports are hoisted: this statement runs first in evaluation, after compile and link.
      return { ...result, source: `globalThis[Symbol.for('bench.mark')]('eval');${String(result.source)}` };
    }
    return result;
  },
});

const watched = /^(INPUT_|ACTIONS_ID_TOKEN_REQUEST_URL$|GITHUB_OUTPUT$|GITHUB_STEP_SUMMARY$)/;
const env = process.env;
process.env = new Proxy(env, {
  get(target, key, receiver) {
    if (typeof key === 'string' && watched.test(key)) mark(`env:${key}`);
    return Reflect.get(target, key, receiver);
  },
});

subscribe('http.client.request.start', ({ request }) => mark(`request:${request.method} ${request.path}`));
subscribe('http.client.response.finish', ({ request }) => mark(`response:${request.method} ${request.path}`));

process.on('exit', () => {
  mark('exit');
  if (out) writeFileSync(out, JSON.stringify(marks));
});
mark('hook-ready');
