// The grouping corpus (fixtures/stack-corpus.json): every trace carries the group it belongs to.
// The same bug across builds, machines and operating systems must share one fingerprint; traces of
// different groups must never share one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fingerprint, normalizePath, type FingerprintInput } from '../../src/analyzer/fingerprint.js';

type Case = FingerprintInput & { group: string; note: string };
const corpus = JSON.parse(readFileSync(new URL('./fixtures/stack-corpus.json', import.meta.url), 'utf8')) as Case[];

describe('error and crash fingerprints over the corpus', () => {
  const ids = corpus.map((c) => ({ c, f: fingerprint(c) }));
  const groups = new Set(corpus.map((c) => c.group));

  it.each([...groups])('all traces of "%s" get one fingerprint', (group) => {
    const members = ids.filter((x) => x.c.group === group);
    const distinct = new Set(members.map((x) => x.f.id));
    expect(distinct.size, members.map((x) => `${x.c.note}: ${x.f.frames.join(' < ')}`).join('\n')).toBe(1);
  });

  it('no two groups share a fingerprint', () => {
    const byId = new Map<string, Set<string>>();
    for (const { c, f } of ids) byId.set(f.id, (byId.get(f.id) ?? new Set()).add(c.group));
    const merged = [...byId.values()].filter((g) => g.size > 1).map((g) => [...g].join(' + '));
    expect(merged).toEqual([]);
    expect(byId.size).toBe(groups.size);
  });

  it('keeps the in-app frames, without positions, library or Electron frames', () => {
    const f = fingerprint(corpus.find((c) => c.group === 'tool-timeout')!);
    expect(f.type).toBe('Error');
    expect(f.frames).toEqual(['callTool (mcp/client.js)', 'runTool (mcp/tools.js)', 'handleTurn (chat/turn.js)']);
    expect(f.title).toContain('MCP error -32001');
    expect(fingerprint(corpus.find((c) => c.group === 'destroyed-window')!).frames[0]).toBe('sendToWindow (main/windows.js)');
  });

  it('names a crash without a stack by its process and reason', () => {
    expect(fingerprint(corpus.find((c) => c.group === 'renderer-oom')!).type).toBe('crash:renderer:oom in renderer');
  });
});

describe('path normalization', () => {
  it('reduces any install location to the last two segments without hashes', () => {
    expect(normalizePath('C:\\Users\\<user>\\AppData\\Local\\app\\resources\\app.asar\\dist\\main\\config.js:12:5')).toBe('main/config.js');
    expect(normalizePath('file:///opt/app/dist/renderer/assets/index-3f2a9c1b.js:1:20345')).toBe('assets/index.js');
    expect(normalizePath('/srv/app/static/main.8f3a2c1d.js?v=3')).toBe('static/main.js');
  });
});

describe('group titles say what crashed and where', () => {
  it('a renderer that died: "renderer gone (crashed) in main/window.js", never "at ?"', () => {
    const f = fingerprint({
      eventType: 'crash',
      name: 'renderer.gone',
      message: 'Render process gone: crashed',
      stack: 'Error: Render process gone: crashed\n    at WebContents.<anonymous> (/opt/McpClient/resources/app.asar/dist/main/window.js:88:21)\n    at WebContents.emit (node:events:519:28)',
      process: 'renderer',
      reason: 'crashed',
    });
    expect(f.title).toBe('renderer gone (crashed) in main/window.js');
  });

  it('a process gone without a stack names the process; an uncaught exception its type, message and frame', () => {
    expect(fingerprint({ eventType: 'crash', name: 'gpu.gone', message: 'GPU process gone', process: 'gpu', reason: 'oom' }).title).toBe('gpu gone (oom) in the gpu process');
    const f = fingerprint({ eventType: 'crash', name: 'main.exception', message: 'Object has been destroyed', stack: 'Error: Object has been destroyed\n    at sendToWindow (/opt/app/resources/app.asar/dist/main/windows.js:10:5)', process: 'main', reason: 'uncaught_exception' });
    expect(f.title).toBe('main exception: Error: Object has been destroyed at sendToWindow (main/windows.js)');
  });
});
