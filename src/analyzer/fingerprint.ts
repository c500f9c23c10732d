// Fingerprints of errors and crashes: the same bug across builds, machines and operating systems
// gets the same fingerprint, different bugs different ones. Built from the error type and the
// normalized in-app frames of the stack:
//   - line and column numbers are dropped (they move with every build);
//   - a path keeps only its last two segments, without content hashes (index-3f2a9c1b.js ->
//     index.js), so install folders, user names (already <user> after scrubbing), drive letters and
//     separators do not matter;
//   - frames in node_modules, Node internals (node:, internal/), Electron's own code (electron.asar,
//     electron/js2c) and native frames are not the app's and are skipped;
//   - minified names (one or two characters, or `anonymous`) change between builds, so such a
//     frame is kept as its file only;
//   - when no in-app frame with a real name is left, the normalized message (numbers, hex, ids
//     and quoted paths replaced) stands in for the stack, so two unrelated bugs in one minified
//     bundle are not merged.
import { createHash } from 'node:crypto';

export interface Frame {
  fn: string | null;
  file: string | null;
  inApp: boolean;
}

export interface Fingerprint {
  id: string;
  /** The error type: `TypeError`, or `crash:<process>:<reason>` for a crash without a stack. */
  type: string;
  /** The frames the fingerprint was built from, `fn (file)` each, top first. */
  frames: string[];
  /** What a person reads in a list of groups. */
  title: string;
}

export interface FingerprintInput {
  eventType: 'error' | 'crash';
  name: string;
  message: string;
  code?: string | null;
  stack?: string | null;
  process?: string | null;
  reason?: string | null;
}

/** How many in-app frames from the top make the fingerprint: deep enough to tell call paths
 *  apart, shallow enough that recursion depth or a refactor far below does not split a group. */
const MAX_FRAMES = 5;

const V8_FRAME = /^\s*at\s+(?:(.*?)\s+\((.*)\)|(.*))\s*$/;
const GECKO_FRAME = /^\s*([^@\s]*)@(.+)$/;
const POSITION = /(?::\d+){1,2}$/;

export function parseFrames(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of stack.split('\n')) {
    let fn: string | null;
    let loc: string | null;
    const v8 = V8_FRAME.exec(line);
    if (v8) {
      fn = v8[1] ?? null;
      loc = v8[2] ?? v8[3] ?? null;
    } else {
      const gecko = GECKO_FRAME.exec(line);
      if (!gecko || !/[:/\\]/.test(gecko[2]!)) continue;
      fn = gecko[1] || null;
      loc = gecko[2]!;
    }
    // `at async foo (...)`, `at new Foo (...)`, `at Object.<anonymous> (...)`, `at foo [as bar] (...)`
    if (fn !== null) fn = fn.replace(/^(async|new)\s+/, '').replace(/\s*\[as [^\]]*\]$/, '').replace(/^Object\./, '');
    if (fn !== null && /(^|\.)<anonymous>$|^anonymous$/.test(fn)) fn = null;
    const file = loc === null ? null : normalizePath(loc);
    frames.push({ fn, file, inApp: file !== null && isInApp(loc!) });
  }
  return frames;
}

function isInApp(loc: string): boolean {
  const l = loc.replaceAll('\\', '/');
  // `Promise.all (index 0)` and other locations that are not files.
  if (!/[/:]/.test(l)) return false;
  if (/node_modules\//.test(l)) return false;
  if (/^(node:|internal\/|native\b|<anonymous>|electron\/js2c)/.test(l) || /(^|\/)electron\.asar\//.test(l) || /^(chrome|devtools|chrome-extension):/.test(l)) return false;
  if (/^(\w+:\/\/)?<?anonymous>?$/.test(l) || l === 'native' || l.startsWith('eval at ')) return false;
  return true;
}

/** Last two path segments, without position, query or content hash; lower case on Windows-like paths. */
export function normalizePath(loc: string): string {
  let p = loc.replace(POSITION, '').replace(/[?#].*$/, '').replaceAll('\\', '/');
  p = p.replace(/^[a-z][a-z0-9+.-]*:\/\/\/?/i, '');
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  const tail = parts.slice(-2).map((s) => s.replace(/[.-][0-9a-f]{6,}(?=\.)/gi, '').replace(/\.[0-9a-f]{6,}$/i, ''));
  return tail.join('/');
}

function isMinifiedName(fn: string): boolean {
  // `e`, `Rn`, `t.n`, `Object.e`: mangled names; they change with every build.
  return fn.split('.').every((part) => part.length <= 2);
}

/** The message with its variable parts replaced: numbers, hex, ids, quoted paths and URLs. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/<(user|email|ip|mac|uuid|hex|card|jwt|key|token|redacted)>/g, '<$1>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/(['"`])(?:[a-z]:)?[/\\][^'"`]*\1/gi, '$1<path>$1')
    .replace(/\bhttps?:\/\/\S+/g, '<url>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<n>')
    .replace(/\b\d+(\.\d+)?\b/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

/** `TypeError` from `TypeError: Cannot read ...`; null when the first line names no type. */
function typeFromStack(stack: string): string | null {
  const first = stack.split('\n', 1)[0]!.trim();
  const m = /^(?:Uncaught\s+(?:\(in promise\)\s+)?)?([A-Za-z_$][\w$.]*)(?:\s*\[[^\]]*\])?\s*:/.exec(first);
  return m ? m[1]! : null;
}

export function fingerprint(e: FingerprintInput): Fingerprint {
  const stack = e.stack ?? '';
  const frames = stack ? parseFrames(stack) : [];
  const inApp = frames.filter((f) => f.inApp);
  let type = typeFromStack(stack) ?? (e.eventType === 'crash' ? `crash:${e.process ?? 'unknown'}:${e.reason ?? 'unknown'}` : e.code ? `code:${e.code}` : `error:${e.name}`);
  if (e.eventType === 'crash' && e.process) type = `${type} in ${e.process}`;
  const kept: string[] = [];
  let named = 0;
  for (const f of inApp) {
    const fn = f.fn !== null && !isMinifiedName(f.fn) ? f.fn : null;
    if (fn !== null) named++;
    const label = fn === null ? `? (${f.file})` : `${fn} (${f.file})`;
    // Recursion shows up as the same frame again and again: once is enough.
    if (kept[kept.length - 1] !== label) kept.push(label);
    if (kept.length === MAX_FRAMES) break;
  }
  const parts = [type, ...kept];
  // No named in-app frame: the frames alone (a file, or nothing) cannot tell bugs apart.
  // Mangled variable names (`n.map is not a function`) change between builds like the frames do.
  if (named === 0) parts.push(`message: ${normalizeMessage(e.message).replace(/(^|[^\w$.<])[\w$]{1,2}(?=\.)/g, '$1<v>')}`);
  if (inApp.length === 0 && e.code) parts.push(`code: ${e.code}`);
  const id = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
  const title = titleOf(e, type, inApp[0]?.file ?? null, kept[0]);
  return { id, type, frames: kept, title };
}

/**
 * What a person reads for a group: what crashed and where. A crash: its event name in words, the
 * reason and the top in-app file ("renderer gone (crashed) in main/window.js"), or the process
 * without a stack; an error: its type and message, at the top named frame, or in its file.
 */
function titleOf(e: FingerprintInput, type: string, topFile: string | null, topFrame: string | undefined): string {
  const message = e.message.split('\n', 1)[0]!.slice(0, 120);
  if (e.eventType === 'crash') {
    const what = e.name.replace(/[._:-]+/g, ' ');
    const reason = e.reason ? ` (${e.reason.replace(/_/g, ' ')})` : '';
    const where = topFile ? ` in ${topFile}` : e.process ? ` in the ${e.process} process` : '';
    // An exception that ended the process says more by its type, message and frame than by the
    // event name; a process that died (crashed, oom, killed) by its reason.
    const typed = typeFromStack(e.stack ?? '');
    if (typed && /exception|rejection/.test(e.reason ?? 'exception')) return `${what}: ${typed}: ${message}${topFrame && !topFrame.startsWith('? (') ? ` at ${topFrame}` : where}`;
    return `${what}${reason}${where}`;
  }
  const at = topFrame && !topFrame.startsWith('? (') ? ` at ${topFrame}` : topFile ? ` in ${topFile}` : '';
  return `${type}: ${message}${at}`;
}
