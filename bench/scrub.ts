// npm run bench:scrub [-- --json]
// What scrubbing costs on the app's thread (issue 11's target): the median time for one unique
// ~1.7 KB stack trace and one unique ~100-character error message, each a string the scrubber has
// not seen before (its memory of recent answers does not help). Next to each, the same-run cost of
// one plain regular-expression pass over the same strings, the floor any scrubber pays.
import { pathToFileURL } from 'node:url';
import { createScrubber, type Scrubber } from '../src/telemetry/scrub/scrub.js';
import { printReport } from './report.js';

export const STACK_TARGET_US = 10;
export const MESSAGE_TARGET_US = 2;

/** The environment of a typical person: what learnScrubEnvironment() would find. */
const OPTIONS = {
  homeDirs: ['/home/alice', 'C:\\Users\\Alice Wong'],
  userNames: ['alice'],
  fullNames: ['Alice Wong'],
  hostNames: ['alices-laptop'],
};

const FRAMES = [
  'at ToolRunner.invoke (/home/alice/.config/MCP Client/app/dist/main/tools/runner.js:{l}:{c})',
  'at async McpSession.callTool (/opt/MCP Client/resources/app.asar/dist/main/mcp/session.js:{l}:{c})',
  'at Object.openSync (node:fs:{l}:{c})',
  'at ChatView (file:///C:/Users/Alice%20Wong/AppData/Local/Programs/mcp-client/resources/app.asar/dist/renderer/assets/index-DkX9aQ2b.js:1:{c})',
  'at processTicksAndRejections (node:internal/process/task_queues:{l}:{c})',
  'at https://app.example.com/assets/ToolCallCard-Bf3kL9qZ.js:{l}:{c}',
  'at Client.request (/home/alice/dev/mcp-client/node_modules/@modelcontextprotocol/sdk/dist/esm/shared/protocol.js:{l}:{c})',
  'at new Promise (<anonymous>)',
  'at renderWithHooks (file:///Applications/MCP%20Client.app/Contents/Resources/app.asar/dist/renderer/assets/vendor-react-8c1d2e3f.js:{l}:{c})',
  'at Socket.emit (node:events:{l}:{c})',
  'at StreamParser.onData (/home/alice/.config/MCP Client/app/dist/main/llm/stream.js:{l}:{c})',
  'at async Promise.all (index {l})',
  'at IpcMainImpl.handle (node:electron/js2c/browser_init:2:{c})',
  'at Generator.next (<anonymous>)',
  'at startServer (C:\\Users\\Alice Wong\\dev\\mcp-client\\dist\\main\\servers\\launch.js:{l}:{c})',
  'at TelemetryService.trackError (/opt/MCP Client/resources/app.asar/dist/main/telemetry/service.js:{l}:{c})',
  'at listOnTimeout (node:internal/timers:{l}:{c})',
];

const MESSAGES = [
  "ENOENT: no such file or directory, open '/home/alice/.config/mcp-client/cache-{i}.json'",
  'connect ECONNREFUSED 10.0.{a}.{b}:5432 while starting tool server filesystem (attempt {i})',
  'Request failed with status code 429 for model claude-sonnet-4 after {i} ms, retrying later',
  'getaddrinfo ENOTFOUND alices-laptop.local at lookup (attempt {i}), falling back to api host',
  'Tool call read_file failed: EACCES: permission denied, scandir C:\\Users\\Alice Wong\\x{i}',
  'MCP server "github" exited with code {a} after {i} ms; stderr: token expired, re-authenticate',
];

function fill(t: string, i: number): string {
  return t
    .replaceAll('{l}', String(10 + ((i * 7) % 900)))
    .replaceAll('{c}', String(1 + ((i * 13) % 4000)))
    .replaceAll('{i}', String(i))
    .replaceAll('{a}', String(i % 250))
    .replaceAll('{b}', String((i * 3) % 250));
}

/** A ~1.7 KB stack trace, different for every i. */
export function uniqueStack(i: number): string {
  const lines = [`TypeError: Cannot read properties of undefined (reading 'content') [request ${i}]`];
  for (let k = 0; lines.join('\n').length < 1650; k++) lines.push('    ' + fill(FRAMES[(i + k) % FRAMES.length]!, i + k));
  return lines.join('\n');
}

/** A ~100-character error message, different for every i. */
export function uniqueMessage(i: number): string {
  return fill(MESSAGES[i % MESSAGES.length]!, i).slice(0, 100);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median µs of f over inputs, each timed alone (a call is long enough for hrtime). */
function timeEach(inputs: string[], f: (s: string) => unknown): number {
  const times: number[] = [];
  for (const s of inputs) {
    const t0 = process.hrtime.bigint();
    f(s);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return median(times);
}

const FLOOR_RE = /[@:]\d{1,5}\b/g;
/** The floor: one global regex pass over the string. */
function onePass(s: string): number {
  return s.replace(FLOOR_RE, '#').length;
}

export async function measureScrubCost(): Promise<{ stack_us_median: number; message_us_median: number; stack_floor_us: number; message_floor_us: number }> {
  const stacks = (offset: number, n: number): string[] => Array.from({ length: n }, (_, i) => uniqueStack(offset + i));
  const messages = (offset: number, n: number): string[] => Array.from({ length: n }, (_, i) => uniqueMessage(offset + i));
  const s: Scrubber = createScrubber(OPTIONS);
  // warm-up: JIT and regex compilation, on other strings than the ones timed
  for (const x of stacks(1_000_000, 2000)) s.stack(x);
  for (const x of messages(1_000_000, 20_000)) s.text(x);
  const runs = { stack: [] as number[], message: [] as number[], stackFloor: [] as number[], messageFloor: [] as number[] };
  for (let r = 0; r < 3; r++) {
    const st = stacks(r * 10_000, 3000);
    const ms = messages(r * 100_000, 30_000);
    runs.stack.push(timeEach(st, s.stack));
    runs.message.push(timeEach(ms, s.text));
    runs.stackFloor.push(timeEach(st, onePass));
    runs.messageFloor.push(timeEach(ms, onePass));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const r3 = (x: number): number => Number(x.toFixed(3));
  return {
    stack_us_median: r3(median(runs.stack)),
    message_us_median: r3(median(runs.message)),
    stack_floor_us: r3(median(runs.stackFloor)),
    message_floor_us: r3(median(runs.messageFloor)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const json = process.argv.includes('--json');
  const m = await measureScrubCost();
  const stackLen = Math.round(Array.from({ length: 100 }, (_, i) => uniqueStack(i).length).reduce((a, b) => a + b) / 100);
  const result = {
    ...m,
    stack_chars: stackLen,
    stack_ratio_to_target: Number((m.stack_us_median / STACK_TARGET_US).toFixed(3)),
    message_ratio_to_target: Number((m.message_us_median / MESSAGE_TARGET_US).toFixed(3)),
    stack_ratio_to_floor: Number((m.stack_us_median / m.stack_floor_us).toFixed(1)),
    message_ratio_to_floor: Number((m.message_us_median / m.message_floor_us).toFixed(1)),
  };
  printReport('bench:scrub (median of 3 runs, each the median over unique strings)', [
    [`stack_us_median (${stackLen} chars, unique)`, result.stack_us_median, `<= ${STACK_TARGET_US}`, result.stack_ratio_to_target <= 1],
    ['  ratio to target', result.stack_ratio_to_target, '<= 1', result.stack_ratio_to_target <= 1],
    ['  ratio to one regex pass', result.stack_ratio_to_floor, '', null],
    ['message_us_median (100 chars, unique)', result.message_us_median, `<= ${MESSAGE_TARGET_US}`, result.message_ratio_to_target <= 1],
    ['  ratio to target', result.message_ratio_to_target, '<= 1', result.message_ratio_to_target <= 1],
    ['  ratio to one regex pass', result.message_ratio_to_floor, '', null],
  ], result, json);
}
