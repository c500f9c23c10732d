// The main/ block of eslint.config.js, exercised: main may import electron, electron-store and
// src/; it may not import the UI, the renderer or the preload, nor touch the DOM.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: 'main/x.ts' });
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('main/ layer', () => {
  it('may import electron, electron-store and the plain-Node layers', async () => {
    expect(await layerErrors("import { app } from 'electron';\nimport Store from 'electron-store';\nimport { METRIC } from '../src/telemetry/event/metric-names.js';\nimport { createBridgeHandlers } from '../src/host/bridge-handlers.js';\nexport const x = [app, Store, METRIC, createBridgeHandlers];\n")).toEqual([]);
  });

  it.each([
    ["import { useState } from 'react';", /no UI/],
    ["import { create } from 'zustand';", /no UI/],
    ["import { App } from '../renderer/src/App.js';", /other processes/],
    ["import '../preload/preload.js';", /other processes/],
  ])('may not import %s', async (line, message) => {
    expect(await layerErrors(`${line}\nexport const y = 1;\n`)).toEqual([expect.stringMatching(message)]);
  });

  it('may not touch the DOM', async () => {
    expect(await layerErrors('export const t = document.title;\n')).toEqual([expect.stringMatching(/No DOM in the main process/)]);
  });
});
