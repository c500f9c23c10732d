// The layer rules of eslint.config.js, exercised: each forbidden import is reported, each allowed
// one is not. If someone weakens a rule, this fails.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('layers hold', () => {
  it.each([
    ["import { app } from 'electron';"],
    ["import Store from 'electron-store';"],
    ["import { useState } from 'react';"],
    ["import { create } from 'zustand';"],
    ["import { x } from '../../renderer/app.js';"],
  ])('src/telemetry may not import UI or Electron: %s', async (line) => {
    expect(await layerErrors('src/telemetry/service/x.ts', `${line}\nexport const y = 1;\n`)).toHaveLength(1);
  });

  it.each([["import { createClient } from '@clickhouse/client';"], ["import { connect } from 'nats';"], ["import { InfluxDB } from 'influx';"], ["import { createCollector } from '../../collector/server.js';"]])(
    'src/telemetry (the device SDK) may not import the fleet engine clients or the collector: %s',
    async (line) => {
      expect(await layerErrors('src/telemetry/service/x.ts', `${line}\nexport const y = 1;\n`)).toHaveLength(1);
    },
  );

  it('src/collector may import the fleet engine clients', async () => {
    expect(await layerErrors('src/collector/stores/clickhouse/x.ts', "import { createClient } from '@clickhouse/client';\nimport { connect } from 'nats';\nexport const y = [createClient, connect];\n")).toEqual([]);
  });

  it('src/telemetry may not touch the DOM', async () => {
    expect(await layerErrors('src/telemetry/service/x.ts', 'export const w = document.title;\n')).toEqual([expect.stringMatching(/No DOM/)]);
  });

  it('src/telemetry may import Node built-ins and better-sqlite3', async () => {
    expect(await layerErrors('src/telemetry/store/x.ts', "import { join } from 'node:path';\nimport Database from 'better-sqlite3';\nexport const y = [join, Database];\n")).toEqual([]);
  });

  it.each([
    ["import { readFileSync } from 'node:fs';"],
    ["import Database from 'better-sqlite3';"],
    ["import { openStore } from '../store.js';"],
    ["import { x } from '../../collector/server.js';"],
    ["import { app } from 'electron';"],
  ])('the detectors stay pure computation: %s', async (line) => {
    expect(await layerErrors('src/analyzer/detect/x.ts', `${line}\nexport const y = 1;\n`)).toHaveLength(1);
  });

  it('the detectors may import the analyzer\'s own pure helpers', async () => {
    expect(await layerErrors('src/analyzer/detect/x.ts', "import { isoMinute } from '../time.js';\nimport { num } from '../format.js';\nexport const y = [isoMinute, num];\n")).toEqual([]);
  });

  it.each([
    ["import { openStore } from '../collector/stores/open-store.js';"],
    ["import { ClickHouseCollectorStore } from '../../collector/stores/clickhouse/clickhouse-store.js';"],
    ["import { createClient } from '@clickhouse/client';"],
  ])('the analyzer reads stores through its port, never the collector, and engine clients only in readers/: %s', async (line) => {
    expect(await layerErrors('src/analyzer/x.ts', `${line}\nexport const y = 1;\n`)).toHaveLength(1);
  });

  it('an analyzer reader may import its engine client and the shared store schema, not the collector', async () => {
    expect(await layerErrors('src/analyzer/readers/x.ts', "import { createClient } from '@clickhouse/client';\nimport { quote } from '../../store-schema/clickhouse.js';\nexport const y = [createClient, quote];\n")).toEqual([]);
    expect(await layerErrors('src/analyzer/readers/x.ts', "import { quote } from '../../collector/stores/clickhouse/clickhouse-store.js';\nexport const y = quote;\n")).toHaveLength(1);
  });

  it.each([
    ["import { openStore } from '../collector/stores/open-store.js';"],
    ["import { RollupReader } from '../analyzer/rollup-reader.js';"],
    ["import { createClient } from '@clickhouse/client';"],
    ["import { readFileSync } from 'node:fs';"],
  ])('the shared store schema imports no layer and no engine client: %s', async (line) => {
    expect(await layerErrors('src/store-schema/x.ts', `${line}\nexport const y = 1;\n`)).toHaveLength(1);
  });

  it('the renderer may import the bridge contract as types only', async () => {
    expect(await layerErrors('renderer/src/app.tsx', "import type { Bridge } from '../../src/telemetry/bridge.js';\nexport type B = Bridge;\n")).toEqual([]);
    expect(await layerErrors('renderer/src/app.tsx', "import { bridgeMethods } from '../../src/telemetry/bridge.js';\nexport const b = bridgeMethods;\n")).toHaveLength(1);
  });

  it('the renderer may not import anything else from src/, nor Node or Electron', async () => {
    expect(await layerErrors('renderer/src/app.tsx', "import type { TelemetryService } from '../../src/telemetry/index.js';\nexport type T = TelemetryService;\n")).toHaveLength(1);
    expect(await layerErrors('renderer/src/app.tsx', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toHaveLength(1);
    expect(await layerErrors('renderer/src/app.tsx', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n")).toHaveLength(1);
  });

  it('src/alerting may import the analyzer, the shared schema and its own libraries', async () => {
    const code = "import { compareVersions } from '../analyzer/compare.js';\nimport type { TelemetryEvent } from '../telemetry/event/schema.js';\nimport { Histogram } from '../telemetry/rollup/histogram.js';\nimport { createTransport } from 'nodemailer';\nexport const y = [compareVersions, Histogram, createTransport];\nexport type T = TelemetryEvent;\n";
    expect(await layerErrors('src/alerting/x.ts', code)).toEqual([]);
  });

  it.each([
    ["import { createCollector } from '../collector/server.js';"],
    ["import { TelemetryService } from '../telemetry/service/telemetry-service.js';"],
    ["import { Uploader } from '../telemetry/upload/uploader.js';"],
    ["import { startBrowserHost } from '../host/browser-host.js';"],
    ["import { x } from '../../renderer/app.js';"],
    ["import { app } from 'electron';"],
  ])('src/alerting may not import the collector, the device internals or a UI layer: %s', async (line) => {
    expect(await layerErrors('src/alerting/notify/x.ts', `${line}\nexport const y = 1;\n`)).toHaveLength(1);
  });

  it('the fleet console may import the API contract as types only, and the shared dashboard components', async () => {
    expect(await layerErrors('console/src/app.tsx', "import type { Issue } from '../../src/console/api-types';\nimport { Section } from '../../renderer/src/components/Section';\nexport type I = Issue;\nexport const S = Section;\n")).toEqual([]);
    expect(await layerErrors('console/src/app.tsx', "import { CONSOLE_API } from '../../src/console/api-types';\nexport const a = CONSOLE_API;\n")).toHaveLength(1);
  });

  it('the fleet console may not read the store, the analyzer or Node directly', async () => {
    expect(await layerErrors('console/src/app.tsx', "import type { FleetAnalysis } from '../../src/analyzer/fleet/fleet-analysis.js';\nexport type F = FleetAnalysis;\n")).toHaveLength(1);
    expect(await layerErrors('console/src/app.tsx', "import Database from 'better-sqlite3';\nexport const d = Database;\n")).toHaveLength(1);
    expect(await layerErrors('console/src/app.tsx', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toHaveLength(1);
  });
});
