// Bundles src/ into dist/ with ncc's JS API, which takes options its CLI does not expose.
// What each option buys is measured in docs/PERFORMANCE.md (`npm run bench`).
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ncc from '@vercel/ncc';
import ts from 'typescript';
import { fingerprint, STAMP } from '../build/fingerprint.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'dist');
/** The module that stands in for undici in the bundle (build/undici-on-demand.ts says why). */
const UNDICI_ON_DEMAND = 'undici-on-demand.js';

const action = await ncc(join(ROOT, 'src/index.ts'), {
  // No cache: dist/ must be exactly what these sources produce (CI compares it).
  cache: false,
  license: 'licenses.txt',
  quiet: true,
  // The SDK's ES-module builds (`module`) let webpack drop the commands and helpers the action
  // never imports (the packages declare `sideEffects: false`); their CommonJS builds are one file each.
  mainFields: ['module', 'main'],
  // `import … from 'undici'` (in @actions/http-client and @actions/github) becomes an import of
  // dist/undici-on-demand.js, which loads the real undici (below) only when it is used.
  externals: { undici: `./${UNDICI_ON_DEMAND}` },
});

// The real undici, as its own CommonJS bundle: required synchronously on first use, because
// http-client constructs a ProxyAgent synchronously.
const undici = await ncc(createRequire(import.meta.url).resolve('undici'), {
  cache: false,
  license: 'undici-licenses.txt',
  quiet: true,
  filename: 'undici.cjs',
});

// The stand-in module has no dependencies to bundle: a plain TypeScript-to-JavaScript transpile.
const onDemand = ts.transpileModule(await readFile(join(ROOT, 'build/undici-on-demand.ts'), 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
}).outputText;

const files: [string, string | Buffer][] = [
  ['index.js', action.code],
  ...Object.entries(action.assets).map(([name, asset]) => [name, asset.source] as [string, string | Buffer]),
  ['undici.cjs', undici.code],
  [UNDICI_ON_DEMAND, onDemand],
];
// One licence file for everything bundled.
const licences = files.findIndex(([name]) => name === 'licenses.txt');
const undiciLicences = undici.assets['undici-licenses.txt']?.source ?? '';
if (licences >= 0) files[licences] = ['licenses.txt', `${files[licences]?.[1] ?? ''}\n${undiciLicences}`];
for (const name of Object.keys(undici.assets).filter((name) => name !== 'undici-licenses.txt')) {
  throw new Error(`undici's bundle has an unexpected asset ${name}: scripts/build.ts must place it.`);
}

// As the ncc CLI does: remove the previous build's JavaScript (chunk names change with content).
await mkdir(OUT, { recursive: true });
for (const name of await readdir(OUT)) if (/\.(c|m)?js$/.test(name)) await rm(join(OUT, name));
for (const [name, source] of files) {
  await mkdir(dirname(join(OUT, name)), { recursive: true });
  await writeFile(join(OUT, name), source);
}
// What this build was made from and what it made, so that the tests rebuild only a stale dist/.
await writeFile(join(OUT, STAMP), `${JSON.stringify(fingerprint(ROOT), null, 2)}\n`);
for (const [name, source] of files) console.log(`${(Buffer.byteLength(source) / 1024).toFixed(0).padStart(6)} kB  dist/${name}`);
