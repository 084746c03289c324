// After `vite build`: writes a gzip copy beside each text asset of dist/ (served by `jcm serve`
// to clients that accept gzip, src/server/static_files.h) and fails the build when the
// JavaScript a public page can load exceeds the budget of the issue: 250 KB gzipped. Every .js
// file of dist/assets counts (the entry, its chunks and the lazily loaded chart), so the sum is
// an upper bound of what any one public page loads.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = new URL('../dist/', import.meta.url).pathname;
const BUDGET_BYTES = 250 * 1000;
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

// The pages' Content-Security-Policy allows no inline script or style (docs/web.md, "Serving"):
// an inline one in the built page would be blocked in the browser, so it fails the build here.
const page = readFileSync(join(DIST, 'index.html'), 'utf8');
const inline = [...page.matchAll(/<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=/g)].map((m) => m[0]);
if (inline.length > 0) {
  console.error(`dist/index.html has inline script or style, which the CSP blocks: ${inline.join(' ')}`);
  process.exit(1);
}

let jsGzipBytes = 0;
for (const path of [...files(DIST)]) {
  if (!COMPRESSIBLE.test(path)) continue;
  const gzipped = gzipSync(readFileSync(path), { level: 9 });
  writeFileSync(`${path}.gz`, gzipped);
  if (path.endsWith('.js')) jsGzipBytes += gzipped.length;
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
if (jsGzipBytes > BUDGET_BYTES) {
  console.error(`bundle budget exceeded: ${kb(jsGzipBytes)} of gzipped JavaScript > ${kb(BUDGET_BYTES)}`);
  process.exit(1);
}
console.log(`bundle: ${kb(jsGzipBytes)} of gzipped JavaScript (budget ${kb(BUDGET_BYTES)})`);
