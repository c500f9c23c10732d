// One event's free text through the scrubber: the one function the device's track path and the
// collector's second scrub both call, so the two cannot drift apart. Every free-text field goes
// through it: error_message, stack_trace, error_code, url, and context names and values.
// Scrubbing may lengthen a value (`a@b.co` becomes `<email>`) and app code may pass a context
// string longer than an event may store: each is cut to its limit after scrubbing, never before
// (a cut could split a secret so that no rule sees it), and counted instead of losing the event.
import { LIMITS, type Context, type EventType } from '../event/schema.js';
import type { Scrubber } from './scrub.js';

/** A context string longer than this is cut before scrubbing: the rest could never be stored, and
 *  the scrubber's work stays bounded. Far beyond contextStringMax, so nothing kept is near the cut. */
const CONTEXT_SCRUB_MAX = 4096;

/** How many values the current call cut. Module state rather than a closure per call: this runs
 *  inside every track(), and the call is synchronous, so nothing can interleave. */
let truncated = 0;

function clip(v: string, max: number): string {
  if (v.length <= max) return v;
  truncated++;
  return v.slice(0, max);
}

function countCut(): void {
  truncated++;
}

/** Scrubs the type-specific fields of an event in place; returns how many values were cut to their limit. */
export function scrubEventFields(s: Scrubber, type: EventType, f: Record<string, unknown>): number {
  truncated = 0;
  switch (type) {
    case 'app':
    case 'feature':
    case 'performance': {
      if (f.context === undefined) return 0;
      let ctx = f.context as Context;
      for (const k in ctx) {
        const v = ctx[k];
        // On a copy: the app's own object is never changed.
        if (typeof v === 'string' && v.length > CONTEXT_SCRUB_MAX) {
          if (ctx === f.context) ctx = { ...ctx };
          ctx[k] = v.slice(0, CONTEXT_SCRUB_MAX);
        }
      }
      const scrubbed = s.context(ctx)!;
      const out: Context = {};
      for (const k of Object.keys(scrubbed)) {
        const v = scrubbed[k]!;
        const key = k.length > LIMITS.contextKeyMax ? clipTokens(k, LIMITS.contextKeyMax, countCut) : k;
        out[key] = typeof v === 'string' ? clip(v, LIMITS.contextStringMax) : v;
      }
      f.context = out;
      return truncated;
    }
    case 'network':
      f.url = clip(s.url(f.url as string), LIMITS.urlMax);
      return truncated;
    case 'error':
    case 'crash':
      f.error_message = clip(s.text(f.error_message as string), LIMITS.errorMessageMax);
      if (f.stack_trace !== undefined) f.stack_trace = clip(s.stack(f.stack_trace as string), LIMITS.stackTraceMax);
      if (f.error_code !== undefined) {
        const code = s.text(f.error_code as string);
        f.error_code = code.length > LIMITS.nameMax ? clipTokens(code, LIMITS.nameMax, countCut) : code;
      }
      return truncated;
    default:
      return 0;
  }
}

/** Cuts an identifier to max without leaving half a token (`<us`), which no pattern would accept. */
function clipTokens(s: string, max: number, counted: () => void): string {
  counted();
  let out = s.slice(0, max);
  const open = out.lastIndexOf('<');
  if (open >= 0 && out.indexOf('>', open) < 0) out = out.slice(0, open);
  return out;
}
