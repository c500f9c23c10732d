import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // electron-store / conf refuse to load in plain Node unless this points anywhere (TOOLCHAIN.md).
    env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent-electron' },
    pool: 'forks',
    testTimeout: 30_000,
  },
});
