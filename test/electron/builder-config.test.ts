// electron-builder.yml, loaded and validated offline exactly as electron-builder does it (its own
// config loader and its JSON-schema validator), plus the promises the packaging must keep: the
// compiled app and renderer inside, better-sqlite3's native file unpacked, the four targets, and
// package.json's entry pointing at the file build:electron emits.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: (string | { filter?: string[] })[];
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[]; maintainer?: string };
  mac?: { target?: string[] };
  win?: { target?: string[] };
  publish?: unknown;
  [k: string]: unknown;
}

const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: { isEnabled: boolean; add(k: string, v: unknown): void }): Promise<void>;
};
const debugLogger = { isEnabled: false, add: () => {} };
const load = () => getConfig(process.cwd(), 'electron-builder.yml', null);

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(await load(), debugLogger)).resolves.toBeUndefined();
  });

  it('the validator is real: a misspelt key is refused by name', async () => {
    await expect(validateConfiguration({ ...(await load()), asarUnpakc: [] }, debugLogger)).rejects.toThrow(/unknown property 'asarUnpakc'/);
  });

  it('names the app, packs the compiled app and renderer, and unpacks the native module', async () => {
    const c = await load();
    expect(c.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
    expect(c.productName).toBeTruthy();
    // electron-builder's loader normalises `files` into `{ filter: [...] }` entries.
    const patterns = (c.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
    expect(patterns).toEqual(expect.arrayContaining(['package.json', 'dist/electron/**/*', 'dist/renderer/**/*', '!**/*.map']));
    expect(c.asar).toBe(true);
    expect(c.asarUnpack).toEqual(['**/node_modules/better-sqlite3/build/Release/*.node']);
    expect(c.npmRebuild).toBe(true);
    expect(c.publish).toBeNull();
  });

  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows', async () => {
    const c = await load();
    expect(c.linux?.target).toEqual(['AppImage', 'deb']);
    expect(c.linux?.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/); // deb refuses to build without one
    expect(c.mac?.target).toEqual(['dmg']);
    expect(c.win?.target).toEqual(['nsis']);
  });

  it('turns off the Electron binary features the app does not use (run as Node, NODE_OPTIONS, --inspect)', async () => {
    expect((await load()).electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });

  it("package.json's entry is the file build:electron emits from main/main.ts", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main?: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist/electron/main/main.js');
    expect(existsSync('main/main.ts')).toBe(true);
    // tsc keeps the folder layout (rootDir ".", outDir "dist/electron"): main/main.ts -> dist/electron/main/main.js.
    const tsconfig = readFileSync('tsconfig.electron.json', 'utf8');
    expect(tsconfig).toMatch(/"rootDir": "\."/);
    expect(tsconfig).toMatch(/"outDir": "dist\/electron"/);
    expect(pkg.scripts['build:electron']).toContain('tsc -p tsconfig.electron.json');
    expect(pkg.scripts['build:electron']).toContain('--outfile=dist/electron/preload.cjs');
  });
});
