// undici, loaded the first time it is used. @actions/http-client imports its ProxyAgent (used only
// behind an HTTP proxy) and @actions/github its fetch (used only when Octokit calls GitHub), but
// evaluating undici's 0.9 MB costs every run tens of milliseconds at start-up. scripts/build.ts
// makes `undici` resolve to this module in the bundle, and builds the real undici into
// dist/undici.cjs, which this module requires on first use: the same classes and functions, later.
import { createRequire } from 'node:module';

type Undici = typeof import('undici');

let loaded: Undici | undefined;

function undici(): Undici {
  loaded ??= createRequire(import.meta.url)('./undici.cjs') as Undici;
  return loaded;
}

export class ProxyAgent {
  constructor(...args: ConstructorParameters<Undici['ProxyAgent']>) {
    // A constructor may return another object: callers get undici's own ProxyAgent.
    return new (undici().ProxyAgent)(...args);
  }
}

export const fetch: Undici['fetch'] = (...args) => undici().fetch(...args);
