// The dashboard's build, run from the repository root (`npm run build:renderer`). `base: './'` keeps
// every asset path relative, so the same output loads from file:// in Electron and from the browser
// host's origin. Paths are plain strings (relative to the root) because renderer/ may not import
// Node modules, not even in its build config (eslint's layer rule).
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** Vite marks its tags `crossorigin`; under file:// (Electron's loadFile) that turns a same-folder
 *  script into a CORS request against the opaque `null` origin. Every asset here is same-origin. */
const noCrossorigin: Plugin = {
  name: 'dashboard-no-crossorigin',
  enforce: 'post',
  transformIndexHtml: (html) => html.replace(/ crossorigin(="[^"]*")?/g, ''),
};

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), noCrossorigin],
  build: {
    // Relative to `root`: dist/renderer at the repository root, where the hosts look for it.
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Chromium only (Electron 45 and Debian's): no legacy transforms needed.
    target: 'chrome120',
    // recharts + react are ~600 kB minified in one file; nothing to gain from splitting a local page.
    chunkSizeWarningLimit: 1200,
  },
});
