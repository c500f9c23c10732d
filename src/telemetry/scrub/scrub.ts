// The PII scrubber: runs synchronously on every event, inside track(), before anything is buffered,
// stored or sent (and again in the collector). It replaces sensitive substrings with short tokens
// (SCRUB_TOKENS) and keeps the text around them, so an error message or a stack trace stays useful.
// This file is the pipeline: the order in which the rule families run. Each family is a module
// with its own cases; what each removes and keeps is in docs/API.md.
//
// Why this order:
//   1. PEM blocks, then repository owners and whole URLs (their query values and fragments go, their
//      hosts and paths are scrubbed by the rules below), before anything could cut a URL apart.
//   2. Credentials by shape (JWT, key formats, Bearer) and by name (key=value, CLI flags), before
//      the e-mail rule could take `git@host` or a password's `@`.
//   3. Display names and e-mail addresses, then folders and names of the person (learned folders
//      first, so every spelling of them goes whole), then the machine's own names.
//   4. Network identifiers (UUIDs, MACs, IPs, hosts), then financial and contact numbers (IBAN before
//      cards: its digits could pass Luhn), and last the high-entropy heuristic, which must not see
//      anything a precise rule could still name.
// Every function is idempotent: scrubbing its own output changes nothing.
import type { Context } from '../event/schema.js';
import { T } from './tokens.js';
import { H_CONNECT, H_COOKIE, H_CVV, H_DEVICE, H_FORGE, H_HEADER, H_HOME, H_KV, H_LAN, H_LOOKUP, H_MAC, H_ONEDRIVE, H_PHRASE, H_WINHOST, hintsOf } from './text-hints.js';
import {
  F_AT, F_AUTH, F_B64_40, F_CARD, F_COLON, F_DDASH, F_EQ, F_HEX32, F_HEXDASH, F_HEXDOT, F_IPV4, F_IPV6, F_NAME_ONLY, F_PCT, F_PHONE, F_PLUS,
  F_QMARK, F_RUN36, F_SHORTFLAG, F_SLASH, F_STARS, F_WORD16, scan,
} from './text-scan.js';
import {
  combineLearnedDirs, compileLearnedDirs, compileNames, GENERIC_NAMES, HOME_HINT_RE, scrubHomePaths, scrubLearnedDirs, scrubNames, scrubOneDrive,
  scrubUncHosts, type LearnedDir, type NameRules,
} from './paths-and-names.js';
import {
  compileHostNames, PHONE_URL_RE, replaceRelQueries, replaceUrls, scrubHostNames, scrubIPv4, scrubIPv6,
  scrubMacs, scrubMacsDottedOrBare, scrubRelQuery, scrubRepoOwners, scrubUrl, scrubUrlInText, scrubUserAtHost, type UrlRules,
} from './network-identifiers.js';
import { scrubAwsSecrets, scrubBearer, scrubHex, scrubJwts, scrubKeys, scrubPem, scrubTokens, scrubUuids } from './secrets-and-keys.js';
import { scrubCardCodes, scrubCards, scrubDisplayNames, scrubEmails, scrubIbans, scrubPhones } from './financial-and-contact.js';
import { isSecretKey, KV_HINT_RE, scrubCookies, scrubKeyValues, scrubLongFlags, scrubPassphrases, scrubShortFlags } from './key-value-and-cli.js';

export { SCRUB_TOKENS } from './tokens.js';
export { isSecretKey } from './key-value-and-cli.js';

export interface ScrubberOptions {
  /** Home directories of the person using the app (`os.homedir()`, HOME, USERPROFILE, …). */
  homeDirs?: string[];
  /** Login names of the person (`os.userInfo().username`, USER, USERNAME). */
  userNames?: string[];
  /** The person's full names (the GECOS field of /etc/passwd, a display name). */
  fullNames?: string[];
  /** The machine's names (`os.hostname()`, COMPUTERNAME, the DNS domain of a company network). */
  hostNames?: string[];
  /** Other folders of the person: APPDATA, LOCALAPPDATA, OneDrive*, `os.tmpdir()`. */
  profileDirs?: string[];
}

export interface Scrubber {
  /** Error messages and any free text. */
  text(s: string): string;
  /** A URL: keeps scheme, host and path; drops userinfo; replaces every query value and the fragment. */
  url(s: string): string;
  /** A stack trace: like text(); function names, file names, line and column of frames are kept. */
  stack(s: string): string;
  /** Drops secret-named keys, scrubs names and string values with text(). Always a new object. */
  context(ctx: Context | undefined): Context | undefined;
}

const IBAN_HINT_RE = /[A-Z]{2}\d\d/;

/** Frames that differ only in their position share one cached answer: the position is set aside. */
const PLACEHOLDER = ':0:0';

/** Where a frame's final `:line:col` (before an optional `)`) starts, or -1. */
function positionAt(line: string): number {
  let i = line.length - 1;
  if (i >= 0 && line.charCodeAt(i) === 41) i--;
  const endCol = i;
  while (i >= 0 && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i--;
  if (i === endCol || i < 0 || line.charCodeAt(i) !== 58) return -1;
  const colon = i--;
  const endLine = i;
  while (i >= 0 && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i--;
  if (i === endLine || i < 0 || line.charCodeAt(i) !== 58) return -1;
  return colon > 0 ? i : -1;
}

export function createScrubber(opts: ScrubberOptions = {}): Scrubber {
  const homeDirs = (opts.homeDirs ?? []).filter((d) => d.trim() !== '');
  // a home folder's last segment is a name too (C:\Users\jsmith while the login is "John Smith")
  const homeNames = homeDirs.map((d) => d.trim().split(/[\\/]+/).filter((x) => x !== '').pop() ?? '').filter((n) => n.length >= 3);
  const names: NameRules = compileNames([...(opts.userNames ?? []), ...homeNames], opts.fullNames ?? []);
  const learned: LearnedDir[] = [
    ...homeDirs.map((path) => ({ path, kind: 'home' as const })),
    ...(opts.profileDirs ?? []).filter((d) => d.trim() !== '').map((path) => ({ path, kind: 'profile' as const })),
  ];
  // longest first, so a profile folder inside a home is replaced whole before its home is
  learned.sort((a, b) => b.path.length - a.path.length);
  const dirRules = compileLearnedDirs(learned, names);
  const hosts = compileHostNames(opts.hostNames ?? []);
  const hostsRe = hosts?.re ?? null;
  const hostsTestRe = hosts?.test ?? null;
  const dirsTestRe = dirRules.length === 0 ? null : new RegExp(dirRules.map((r) => r.hint.toLowerCase()).join('|'));
  const dirsRe = combineLearnedDirs(dirRules);

  const urlRules: UrlRules = {
    plain: (s) => run(s, false, false),
    path: (s, homes) => run(s, homes, false),
  };

  /** Every rule, in order; each runs only if the feature scan says it could match.
   *  `home`: apply the home-directory rules; `urls`: look for URLs (and relative query strings) first. */
  function core(input: string, f: number, home: boolean, urls: boolean): string {
    let s = input;
    const lower = input.toLowerCase();
    let h = hintsOf(lower);
    // 1. blocks and URLs
    if (f & F_DDASH) s = scrubPem(s);
    if (h & H_FORGE && f & (F_SLASH | F_COLON)) s = scrubRepoOwners(s);
    if (urls) {
      if (f & F_COLON && f & F_SLASH) s = replaceUrls(s, (u) => scrubUrlInText(u, urlRules));
      if (f & F_QMARK && f & F_EQ) s = replaceRelQueries(s, (q) => scrubRelQuery(q, urlRules.plain));
    }
    // 2. secrets and keys, key/value and CLI
    const kvHint = (f & (F_COLON | F_EQ | F_DDASH)) !== 0 && (h & H_KV) !== 0;
    if (h & H_COOKIE && f & (F_COLON | F_EQ)) s = scrubCookies(s);
    s = scrubJwts(s);
    if (f & (F_WORD16 | F_STARS)) s = scrubKeys(s);
    if (f & F_AUTH) s = scrubBearer(s);
    if (h & H_PHRASE && f & (F_COLON | F_EQ)) s = scrubPassphrases(s);
    if (kvHint) {
      if (f & (F_COLON | F_EQ)) s = scrubKeyValues(s);
      if (f & F_DDASH) s = scrubLongFlags(s);
    }
    if (f & (F_SHORTFLAG | F_DDASH)) s = scrubShortFlags(s, GENERIC_NAMES);
    // 3. contact data, the person's folders and names, the machine's names
    if (f & F_AT || (h & H_HEADER && f & F_COLON)) s = scrubDisplayNames(s);
    if (f & F_AT) s = scrubEmails(s);
    if (dirsRe !== null && f & (F_SLASH | F_PCT) && dirsTestRe!.test(lower)) s = scrubLearnedDirs(s, dirRules, dirsRe, names);
    if (home && f & (F_SLASH | F_PCT)) {
      if (h & H_HOME) s = scrubHomePaths(s, (f & F_PCT) !== 0);
      s = scrubUncHosts(s);
    }
    if (h & H_ONEDRIVE) s = scrubOneDrive(s);
    // the machine's name before the person's: `awong-thinkstation` is a host, not `<user>-thinkstation`
    if (hostsRe !== null && hostsTestRe!.test(s)) s = s.replace(hostsRe, T.host);
    s = scrubNames(s, names, (f & F_SLASH) !== 0, lower);
    if (f & F_AT) s = scrubUserAtHost(s, GENERIC_NAMES);
    // 4. network identifiers
    if (f & F_RUN36 && f & F_HEXDASH) s = scrubUuids(s);
    if (f & (F_IPV6 | F_HEXDASH)) s = scrubMacs(s, (f & F_COLON) !== 0);
    if (f & F_HEXDOT || h & H_MAC) s = scrubMacsDottedOrBare(s);
    if (f & F_IPV6) s = scrubIPv6(s);
    if (f & F_IPV4) s = scrubIPv4(s);
    if (h & (H_LAN | H_WINHOST | H_DEVICE | H_LOOKUP | H_CONNECT)) s = scrubHostNames(s, h);
    // 5. financial and contact numbers, long secrets, and the high-entropy heuristic last
    if (f & F_B64_40) s = scrubAwsSecrets(s);
    if (f & F_HEX32) s = scrubHex(s);
    if (f & (F_CARD | F_PHONE) && IBAN_HINT_RE.test(s)) s = scrubIbans(s);
    if (f & F_CARD) {
      s = scrubCards(s);
      if (s.includes('<card>')) h |= H_CVV;
    }
    if (h & H_CVV) s = scrubCardCodes(s);
    if (f & (F_PHONE | F_PLUS)) s = scrubPhones(s, (f & F_PLUS) !== 0);
    if (f & F_WORD16) s = scrubTokens(s);
    return s;
  }

  /** Needs anything to be done at all? The fast path: one pass over the string, plus the names. */
  function flagsOf(s: string): number {
    const f = scan(s);
    if (f !== 0) return f;
    const lower = s.toLowerCase();
    if ((names.testLower !== null && names.testLower.test(lower)) || (hostsTestRe !== null && hostsTestRe.test(s))) return F_NAME_ONLY;
    // no punctuation, but words some rule needs: a machine after `EAI_AGAIN`, `nas.local`, `MAC a483e71f2c9d`
    return hintsOf(lower) & (H_LAN | H_WINHOST | H_DEVICE | H_LOOKUP | H_MAC | H_CVV | H_HEADER) ? F_NAME_ONLY : 0;
  }

  function run(s: string, home: boolean, urls: boolean): string {
    const f = flagsOf(s);
    return f === 0 ? s : core(s, f, home, urls);
  }

  function text(s: string): string {
    return run(s, true, true);
  }

  function url(s: string): string {
    const f = flagsOf(s);
    if (f === 0) return s;
    // The common case, `https://host/a/b`: only `:` and `/`, and none of the words some rule needs.
    if ((f & ~(F_COLON | F_SLASH)) === 0 && !PHONE_URL_RE.test(s) && !KV_HINT_RE.test(s) && !HOME_HINT_RE.test(s) && !nameIn(s) && (hintsOf(s.toLowerCase()) & (H_FORGE | H_LAN | H_WINHOST | H_DEVICE)) === 0)
      return s;
    // an owner is known from the forge's host, which the path alone no longer shows
    return scrubUrl(hintsOf(s.toLowerCase()) & H_FORGE ? scrubRepoOwners(s) : s, urlRules);
  }

  /** Could a name of the person, a learned folder or the machine's name occur in s? */
  function nameIn(s: string): boolean {
    return (names.test !== null && names.test.test(s)) || (hostsTestRe !== null && hostsTestRe.test(s)) || dirRules.length > 0;
  }

  // Apps repeat themselves: the same error from the same place, the same endpoints, the same model
  // names. Remembering recent answers (bounded, per scrubber) makes a repeat cost one map lookup.
  const cachedText = remember(text);
  const cachedUrl = remember(url);
  const cachedLine = remember(text);

  /** A stack trace, frame by frame: frames repeat across traces (the same function in the same
   *  file), mostly with other line and column numbers, so each frame is scrubbed with its position
   *  set aside and the answer remembered. Rules never span lines, except a PEM block. */
  function stack(s: string): string {
    if (s.includes('-----BEGIN') || s.length > REMEMBER_MAX_CHARS * 4) return cachedText(s);
    const lines = s.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const cut = positionAt(line);
      if (cut < 0) {
        lines[i] = cachedLine(line);
        continue;
      }
      // the frame without its position, with `:0:0` standing in for it (so rules still see a position)
      const close = line.charCodeAt(line.length - 1) === 41 ? ')' : '';
      const out = cachedLine(line.slice(0, cut) + PLACEHOLDER + close);
      lines[i] =
        out.endsWith(PLACEHOLDER + close) && out.indexOf(PLACEHOLDER) === out.length - PLACEHOLDER.length - close.length
          ? out.slice(0, out.length - PLACEHOLDER.length - close.length) + line.slice(cut)
          : cachedText(line); // a rule took the placeholder with what it replaced: scrub the frame as it is
    }
    return lines.join('\n');
  }

  function context(ctx: Context | undefined): Context | undefined {
    if (ctx === undefined) return undefined;
    const out: Context = {};
    for (const k of Object.keys(ctx)) {
      if (k === '__proto__') continue;
      const v = ctx[k];
      if (v === undefined) continue;
      if (typeof v === 'string' || typeof v === 'number') {
        if (isSecretKey(k)) continue;
        out[cachedText(k)] = typeof v === 'string' ? cachedText(v) : v;
      } else out[cachedText(k)] = v; // boolean or null: cannot carry a secret
    }
    return out;
  }
  return { text: cachedText, url: cachedUrl, stack, context };
}

/** How many distinct inputs each scrubbing function remembers before starting over. */
const REMEMBERED = 2048;
/** Longer inputs are rare repeats and would make the memory bound loose. */
const REMEMBER_MAX_CHARS = 8192;

function remember(f: (s: string) => string): (s: string) => string {
  const known = new Map<string, string>();
  return (s) => {
    if (s.length > REMEMBER_MAX_CHARS) return f(s);
    let out = known.get(s);
    if (out === undefined) {
      out = f(s);
      if (known.size >= REMEMBERED) known.clear();
      known.set(s, out);
    }
    return out;
  };
}
