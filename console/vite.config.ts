// The fleet console's build, run from the repository root (`npm run build:console`): dist/console,
// which the console server serves. It shares the dashboard's components and styles by import
// (renderer/src), so both look and behave alike.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'console',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 1200,
  },
});
