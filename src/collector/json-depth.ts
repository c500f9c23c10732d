// How deeply a JSON text nests, found by one pass over its bytes before JSON.parse, so no
// recursive walk (JSON.stringify, a schema, a scrubber) ever meets a 5000-deep object: those
// overflowed the stack and answered 500 (issue 10 #4). Iterative and allocation-free: the cost is
// a fraction of JSON.parse's on the same bytes.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** True when the text opens more than `max` objects/arrays inside each other. Brackets inside
 *  strings do not count. The text need not be valid JSON (JSON.parse judges that next). */
export function nestsDeeperThan(json: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}
