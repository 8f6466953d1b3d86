// Bundles src/ into dist/ with ncc's JS API, which takes options its CLI does not expose.
// What each option buys is measured in docs/PERFORMANCE.md (`npm run bench`).
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import ncc from '@vercel/ncc';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'dist');

const { code, assets } = await ncc(join(ROOT, 'src/index.ts'), {
  // No cache: dist/ must be exactly what these sources produce (CI compares it).
  cache: false,
  license: 'licenses.txt',
  quiet: true,
  // The SDK's ES-module builds (`module`) let webpack drop the commands and helpers the action
  // never imports (the packages declare `sideEffects: false`); their CommonJS builds are one file each.
  mainFields: ['module', 'main'],
});

// As the ncc CLI does: remove the previous build's JavaScript (chunk names change with content).
await mkdir(OUT, { recursive: true });
for (const name of await readdir(OUT)) if (/\.(c|m)?js$/.test(name)) await rm(join(OUT, name));
await writeFile(join(OUT, 'index.js'), code);
for (const [name, asset] of Object.entries(assets)) {
  await mkdir(dirname(join(OUT, name)), { recursive: true });
  await writeFile(join(OUT, name), asset.source, asset.permissions === undefined ? {} : { mode: asset.permissions });
}
const sizes = [
  ['index.js', Buffer.byteLength(code)] as const,
  ...Object.entries(assets).map(([name, asset]) => [name, Buffer.byteLength(asset.source)] as const),
];
for (const [name, bytes] of sizes) console.log(`${(bytes / 1024).toFixed(0).padStart(6)} kB  dist/${name}`);
