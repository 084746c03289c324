// The web application's build (docs/web.md): sources in app/, output in dist/ with hashed file
// names under dist/assets/ (served as immutable by `jcm serve`, src/server/static_files.h).
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'app',
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline <script> or data: module in the output: the pages' CSP allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
