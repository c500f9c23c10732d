// The layer rules of docs/ARCHITECTURE.md, made executable: a file cannot import across a layer
// boundary by accident. test/lint/layers.test.ts proves each rule fires.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const UI_AND_ELECTRON = ['electron', 'electron/*', 'electron-store', 'react', 'react/*', 'react-dom', 'react-dom/*', 'recharts', 'zustand', 'zustand/*'];

const FLEET_ENGINE_CLIENTS = ['@clickhouse/client', '@clickhouse/client/*', 'nats', 'nats/*', 'influx'];

/** src/'s own patterns, for the blocks below that add to them (flat config replaces a rule's options). */
const SRC_LAYER_PATTERNS = [
  { group: UI_AND_ELECTRON, message: 'src/ is plain Node: Electron, React and UI libraries belong in main/, preload/ or renderer/ (docs/ARCHITECTURE.md).' },
  { group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'src/ may not import from a layer above it.' },
];
const ANALYZER_NOT_COLLECTOR = { group: ['**/collector/**', '**/collector'], message: 'src/analyzer may not import the collector: shared schema facts belong in src/store-schema (docs/ANALYZER.md).' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'test/lint/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core runs in plain Node and in Electron's main process: no Electron, no UI, no DOM.
    files: ['src/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: UI_AND_ELECTRON, message: 'src/ is plain Node: Electron, React and UI libraries belong in main/, preload/ or renderer/ (docs/ARCHITECTURE.md).' },
          { group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'src/ may not import from a layer above it.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'No DOM in src/.' },
        { name: 'document', message: 'No DOM in src/.' },
        { name: 'navigator', message: 'No DOM in src/.' },
        { name: 'localStorage', message: 'No DOM in src/.' }],
    },
  },
  {
    // The analyzer reads stores through its reader port (src/analyzer/reader.ts); it never imports
    // the collector (the collector imports the analyzer), and engine clients only in readers/.
    // Schema facts both need live in src/store-schema. (Repeats src/'s patterns.)
    files: ['src/analyzer/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          ...SRC_LAYER_PATTERNS,
          ANALYZER_NOT_COLLECTOR,
          { group: FLEET_ENGINE_CLIENTS, message: 'src/analyzer reaches an engine only through a reader in src/analyzer/readers (docs/ANALYZER.md).' },
        ],
      }],
    },
  },
  {
    files: ['src/analyzer/readers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [...SRC_LAYER_PATTERNS, ANALYZER_NOT_COLLECTOR],
      }],
    },
  },
  {
    // The fleet stores' schema (tables, how to name and query them), shared by the collector that
    // writes and the analyzer that reads: plain facts, importing neither, nor any engine client.
    files: ['src/store-schema/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          ...SRC_LAYER_PATTERNS,
          { group: ['**/collector/**', '**/collector', '**/analyzer/**', '**/analyzer', '**/telemetry/**', '**/alerting/**', '**/console/**'], message: 'src/store-schema holds schema facts only: it imports no layer (the collector and the analyzer import it).' },
          { group: [...FLEET_ENGINE_CLIENTS, 'better-sqlite3', 'node:*'], message: 'src/store-schema holds schema facts only: no engine client, no I/O.' },
        ],
      }],
    },
  },
  {
    // The detectors are pure computation over (time, value) pairs, so the same code runs on the
    // device, on every fleet store and in a benchmark: no I/O, no store, no server. (Flat config
    // replaces a rule's options per file, so the src/ patterns are repeated here.)
    files: ['src/analyzer/detect/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: UI_AND_ELECTRON, message: 'src/ is plain Node: Electron, React and UI libraries belong in main/, preload/ or renderer/ (docs/ARCHITECTURE.md).' },
          { group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'src/ may not import from a layer above it.' },
          { group: ['node:*', 'fs', 'path', 'child_process', 'better-sqlite3', 'fastify', '**/collector/**', '**/telemetry/**', '**/store', '**/store.js'], message: 'src/analyzer/detect is pure computation: no I/O, no store, no server (the caller feeds it points).' },
        ],
      }],
    },
  },
  {
    // Alerting (src/alerting) reads the fleet through the analyzer and the shared event schema; it
    // runs inside the collector but never imports it (the collector registers alerting, not the
    // reverse), nor the device's service, store, uploader or any UI layer.
    files: ['src/alerting/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: UI_AND_ELECTRON, message: 'src/ is plain Node: Electron, React and UI libraries belong in main/, preload/ or renderer/ (docs/ARCHITECTURE.md).' },
          { group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'src/ may not import from a layer above it.' },
          { group: ['**/collector/**', '**/collector', '**/host/**', '**/demo/**'], message: 'src/alerting may import the analyzer and the shared schema only: the collector registers alerting, not the reverse.' },
          { group: ['**/telemetry/service/**', '**/telemetry/store/**', '**/telemetry/upload/**', '**/telemetry/consent/**', '**/telemetry/instrument/**', '**/telemetry/host/**'], message: 'src/alerting may import the analyzer and the shared schema only, not the device\'s telemetry internals.' },
        ],
      }],
    },
  },
  {
    // The device SDK is embedded in every app: the fleet's engine clients (collector/stores,
    // timeseries, buffer) and the collector itself never reach it. Repeats src/'s patterns (a later
    // block replaces the rule's options for these files).
    files: ['src/telemetry/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: UI_AND_ELECTRON, message: 'src/ is plain Node: Electron, React and UI libraries belong in main/, preload/ or renderer/ (docs/ARCHITECTURE.md).' },
          { group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'src/ may not import from a layer above it.' },
          { group: FLEET_ENGINE_CLIENTS, message: 'src/telemetry is the device SDK: fleet engine clients belong in src/collector (docs/FLEET.md).' },
          { group: ['**/collector/**', '**/collector'], message: 'src/telemetry is the device SDK: it may not import the collector.' },
        ],
      }],
    },
  },
  {
    // The renderer runs in Chromium and talks to the main process only through the bridge contract.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src/telemetry/bridge', '**/src/telemetry/bridge.js', '**/src/telemetry/bridge/**'], allowTypeImports: true, message: 'The renderer may import only the bridge contract\'s types (use `import type`).' },
          { regex: '(^|/)src/(?!telemetry/bridge(\\.js)?$)', message: 'The renderer may import only the bridge contract\'s types.' },
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'better-sqlite3', 'electron', 'electron/*', 'electron-store'], message: 'The renderer has no Node or Electron: ask the main process through the bridge.' },
        ],
      }],
    },
  },
  {
    // The fleet console's web app runs in a browser: it talks to its server only over HTTP, takes the
    // API contract's types, and shares the dashboard's components, formats and styles by import.
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src/console/api-types', '**/src/console/api-types.js'], allowTypeImports: true, message: 'The console may import only the API contract\'s types (use `import type`).' },
          { regex: '(^|\\.\\./)src/(?!console/api-types(\\.js)?$)', message: 'The console reads the fleet only through its API: import the contract\'s types from src/console/api-types.' },
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'better-sqlite3', 'electron', 'electron/*', 'electron-store'], message: 'The console runs in a browser: no Node or Electron.' },
        ],
      }],
    },
  },
  {
    // Electron's main process: electron, electron-store and the plain-Node layers (src/); never the
    // UI, and never the code of the other processes (renderer, preload).
    files: ['main/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/renderer/**', '**/preload/**'], message: 'main/ may not import the renderer or the preload: they run in other processes.' },
          { group: ['react', 'react/*', 'react-dom', 'react-dom/*', 'recharts', 'zustand', 'zustand/*'], message: 'main/ has no UI: React and UI libraries belong in renderer/.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'No DOM in the main process.' },
        { name: 'document', message: 'No DOM in the main process.' },
        { name: 'localStorage', message: 'No DOM in the main process.' }],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src/telemetry/bridge', '**/src/telemetry/bridge.js'], allowTypeImports: true, message: 'The sandboxed preload may import only the bridge contract\'s types.' },
          { regex: '(^|/)src/(?!telemetry/bridge(\\.js)?$)', message: 'The sandboxed preload may use only electron and the bridge contract.' },
          { group: ['better-sqlite3', 'electron-store', 'react', 'react-dom'], message: 'The sandboxed preload may use only electron (contextBridge, ipcRenderer) and the bridge contract.' },
        ],
      }],
    },
  },
);
