// Rule family: network identifiers. URLs (userinfo dropped, query values and fragments replaced,
// scheme, host and path kept), IP addresses (loopback kept, four-part versions kept), MAC addresses
// in every notation, host names that name a machine or a private network (the OS host name,
// mDNS/LAN names, corporate hosts, `user@host`), and repository owners in git remotes and URLs.
import { T } from './tokens.js';
import { escapeRe, isSchemeChar } from './text-scan.js';
import { H_CONNECT, H_DEVICE, H_LAN, H_LOOKUP, H_WINHOST } from './text-hints.js';

// ---- URLs -----------------------------------------------------------------------------------

/** An absolute URL inside free text; an apostrophe only between letters (O'Brien), quotes end it. */
const URL_REST_RE = /:\/\/(?:[^\s"'<>`\\]|(?<=[A-Za-z])'(?=[A-Za-z]))*/y;
const URL_PARTS_RE = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#\\]*))?([^?#]*)(?:\?([^#]*))?(?:#([\s\S]*))?$/;
export const LINE_COL_RE = /(?::\d+){1,2}$/;
/** `?a=1&b=2` after a path in free text (absolute URLs are handled whole, before). */
const REL_QUERY_RE = /\?[\w.\-%[\]]+=[^\s#"'<>`]*(?:#[^\s"'<>`]*)?/y;
/** What may precede the `?` of a query string: the end of a path. [\w/.~%)\]-] */
function isPathEndChar(c: number): boolean {
  return isSchemeChar(c) ? c !== 43 : c === 95 || c === 47 || c === 126 || c === 37 || c === 41 || c === 93;
}

/** Index where a URL found in free text really ends: drops trailing punctuation and unbalanced `)`/`]`. */
export function urlEnd(u: string): number {
  let end = u.length;
  let open = 0;
  let close = 0;
  let openSq = 0;
  let closeSq = 0;
  for (let i = 0; i < end; i++) {
    const c = u.charCodeAt(i);
    if (c === 40) open++;
    else if (c === 41) close++;
    else if (c === 91) openSq++;
    else if (c === 93) closeSq++;
  }
  while (end > 0) {
    const c = u.charCodeAt(end - 1);
    if (c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63) end--; // . , ; : ! ?
    else if (c === 41 && close > open) {
      end--;
      close--;
    } else if (c === 93 && closeSq > openSq) {
      end--;
      closeSq--;
    } else break;
  }
  return end;
}

/** Finds each `?key=value...` after a path in free text and hands it to `each`. */
export function replaceRelQueries(s: string, each: (q: string) => string): string {
  let idx = s.indexOf('?');
  let out = '';
  let last = 0;
  while (idx >= 0) {
    if (idx > last && isPathEndChar(s.charCodeAt(idx - 1))) {
      REL_QUERY_RE.lastIndex = idx;
      const m = REL_QUERY_RE.exec(s);
      if (m !== null) {
        out += s.slice(last, idx) + each(m[0]);
        last = idx + m[0].length;
        idx = s.indexOf('?', last);
        continue;
      }
    }
    idx = s.indexOf('?', idx + 1);
  }
  return last === 0 ? s : out + s.slice(last);
}


/** Finds each `scheme://...` in free text and hands it to `each` (which returns its replacement). */
export function replaceUrls(s: string, each: (url: string) => string): string {
  let idx = s.indexOf('://');
  let out = '';
  let last = 0;
  while (idx >= 0) {
    let k = idx;
    while (k > last && isSchemeChar(s.charCodeAt(k - 1))) k--;
    while (k < idx && ((s.charCodeAt(k) | 32) < 97 || (s.charCodeAt(k) | 32) > 122)) k++; // a scheme starts with a letter
    if (k === idx) {
      idx = s.indexOf('://', idx + 3);
      continue;
    }
    URL_REST_RE.lastIndex = idx;
    const m = URL_REST_RE.exec(s);
    const end = idx + (m === null ? 3 : m[0].length);
    out += s.slice(last, k) + each(s.slice(k, end));
    last = end;
    idx = s.indexOf('://', end);
  }
  return last === 0 ? s : out + s.slice(last);
}


export function scrubQueryString(q: string, core: (s: string) => string): string {
  if (q === '') return q;
  const parts = q.split('&');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const eq = p.indexOf('=');
    if (eq < 0) parts[i] = core(p);
    else parts[i] = core(p.slice(0, eq)) + '=' + (eq < p.length - 1 ? T.redacted : '');
  }
  return parts.join('&');
}

const WEB_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp', 'ftps']);
const PHONE_SCHEMES = new Set(['tel', 'sms', 'callto']);

/** What the URL rule needs from the pipeline: the rules for a host or a query part (`plain`), and
 *  for a path (`path`, with the home-directory rule only outside web URLs: /home/feed is a route). */
export interface UrlRules {
  plain(s: string): string;
  path(s: string, homes: boolean): string;
}

/** A URL: keeps scheme, host and path; drops userinfo; replaces every query value and the fragment. */
export function scrubUrl(s: string, rules: UrlRules): string {
  const m = URL_PARTS_RE.exec(s);
  if (m === null) return rules.plain(s); // unreachable: every string matches this pattern
  const scheme = m[1];
  let authority = m[2];
  const path = m[3] ?? '';
  const query = m[4];
  const fragment = m[5];
  const lower = scheme?.toLowerCase();
  let out = scheme !== undefined ? scheme + ':' : '';
  if (authority !== undefined) {
    const at = authority.lastIndexOf('@');
    if (at >= 0) authority = authority.slice(at + 1);
    out += '//' + (authority === '' ? '' : rules.plain(authority));
  }
  if (lower !== undefined && PHONE_SCHEMES.has(lower) && path !== '') out += T.redacted;
  else if (path !== '') out += rules.path(path, lower === undefined || !WEB_SCHEMES.has(lower));
  if (query !== undefined) out += '?' + scrubQueryString(query, rules.plain);
  if (fragment !== undefined) out += fragment === '' ? '#' : '#' + T.redacted;
  return out;
}

/** A URL found in free text: its end found, a trailing `:line:col` of a stack frame kept aside. */
export function scrubUrlInText(m: string, rules: UrlRules): string {
  const end = urlEnd(m);
  let core = m.slice(0, end);
  let tail = m.slice(end);
  const lc = LINE_COL_RE.exec(core);
  if (lc !== null) {
    tail = lc[0] + tail;
    core = core.slice(0, lc.index);
  }
  return scrubUrl(core, rules) + tail;
}

/** `?a=1&b=2#f` after a relative path in free text. */
export function scrubRelQuery(m: string, plain: (s: string) => string): string {
  const body = m.slice(1);
  const end = urlEnd(body);
  const core = body.slice(0, end);
  const hash = core.indexOf('#');
  const q = hash >= 0 ? core.slice(0, hash) : core;
  const frag = hash >= 0 ? (hash < core.length - 1 ? '#' + T.redacted : '#') : '';
  return '?' + scrubQueryString(q, plain) + frag + body.slice(end);
}

export const PHONE_URL_RE = /^(?:tel|sms|callto):/i;

// ---- repository owners ----------------------------------------------------------------------

/** Paths of the forges that are pages, not owners: github.com/settings, /orgs/…, /login. */
const FORGE_RESERVED = new Set([
  'settings', 'login', 'logout', 'join', 'signup', 'features', 'marketplace', 'apps', 'sponsors', 'topics', 'orgs', 'users',
  'repos', 'search', 'explore', 'notifications', 'issues', 'pulls', 'new', 'about', 'pricing', 'security', 'enterprise',
  'site', 'contact', 'collections', 'trending', 'events', 'codespaces', 'copilot', 'dashboard', 'help', 'api', 'v3', 'v4',
  'graphql', 'oauth', 'session', 'sessions', 'account', 'git', 'gist', 'raw', 'assets', 'static', 'advisories', 'customer-stories',
]);
const FORGE_RE =
  /((?:^|[^\w.-])(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitea\.com|sr\.ht\/~|gist\.github\.com|raw\.githubusercontent\.com|api\.github\.com\/(?:repos|users|orgs))(?:\/|:(?!\d)))(~?[A-Za-z0-9][A-Za-z0-9_.-]{0,38})(?=[/\s"'#?)\]>,;:]|$)/gi;
const FORGE_SHORT_RE = /\b((?:github|gitlab|bitbucket):)([A-Za-z0-9][A-Za-z0-9-]{0,38})(?=\/)/g;
const PAGES_RE = /(?<![\w.-])([A-Za-z0-9][A-Za-z0-9-]{0,38})(\.github\.io|\.gitlab\.io)\b/gi;

/** `git@github.com:alice/repo.git`, `https://github.com/alice/repo`, `github:alice/repo`,
 *  `alice.github.io`: the owner is a person's handle (or a company's), and goes. */
export function scrubRepoOwners(s: string): string {
  let out = s.replace(FORGE_RE, (m, pre: string, owner: string) => (FORGE_RESERVED.has(owner.toLowerCase()) || owner.startsWith('<') ? m : pre + T.user));
  out = out.replace(FORGE_SHORT_RE, (_m, pre: string) => pre + T.user);
  out = out.replace(PAGES_RE, (_m, _owner: string, suffix: string) => T.user + suffix);
  return out;
}


// ---- IP addresses ---------------------------------------------------------------------------

function isLoopbackV4(ip: string): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0' || ip === '255.255.255.255';
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) if (!/^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(p)) return false;
  return true;
}

const HEX_GROUP_RE = /^[0-9A-Fa-f]{1,4}$/;

/** Validates an IPv6 candidate; returns 'keep' for loopback/unspecified, 'ip' for an address, null otherwise. */
function classifyIPv6(cand: string): 'keep' | 'ip' | null {
  const pct = cand.indexOf('%');
  let addr = pct >= 0 ? cand.slice(0, pct) : cand;
  if (!/\d/.test(addr)) return null; // a::b, dead::beef: names, not addresses
  let v4Groups = 0;
  let v4 = '';
  const dot = addr.indexOf('.');
  if (dot >= 0) {
    const lastColon = addr.lastIndexOf(':');
    v4 = addr.slice(lastColon + 1);
    if (!isIPv4(v4)) return null;
    addr = addr.slice(0, lastColon + 1);
    if (!addr.endsWith('::')) addr = addr.slice(0, -1);
    v4Groups = 2;
  }
  const dbl = addr.indexOf('::');
  if (dbl !== addr.lastIndexOf('::') || addr.includes(':::')) return null;
  let groups: string[];
  if (dbl >= 0) {
    const head = addr.slice(0, dbl);
    const tail = addr.slice(dbl + 2);
    groups = [...(head ? head.split(':') : []), ...(tail ? tail.split(':') : [])];
    if (groups.length + v4Groups > 7) return null;
  } else {
    groups = addr.split(':');
    if (groups.length + v4Groups !== 8) return null;
  }
  for (const g of groups) if (!HEX_GROUP_RE.test(g)) return null;
  const nonZero = groups.filter((g) => !/^0+$/.test(g));
  if (v4) {
    // ::ffff:127.0.0.1 and friends
    if (isLoopbackV4(v4) && (nonZero.length === 0 || (nonZero.length === 1 && /^0*ffff$/i.test(nonZero[0]!)))) return 'keep';
    return 'ip';
  }
  if (nonZero.length === 0) return 'keep'; // ::
  if (nonZero.length === 1 && /^0*1$/.test(nonZero[0]!) && /^0*1$/.test(groups[groups.length - 1]!)) return 'keep'; // ::1
  return 'ip';
}


/** An IPv6 candidate: with an IPv4 tail (`::ffff:10.0.4.12`, a `:port` may follow) or without one
 *  (then not followed by more hex groups, nor by `.digit`: that is an IPv4 tail it did not take). */
const IPV6_RE = /(?=[0-9A-Fa-f:])(?<![\w:.%])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,45}(?:(?:\.\d{1,3}){3}(?![\w.])|(?![\w]|:[0-9A-Fa-f]|\.\d))(?:%[\w.-]+)?(?![\w])/g;
const IPV4_RE = /(?=\d)(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;
/** `::1:3000` is the loopback address and a port, not the address 0::1:3000. */
const LOOPBACK_PORT_RE = /^::1:\d{1,5}$/;

export function scrubIPv6(s: string): string {
  return s.replace(IPV6_RE, (m) => (LOOPBACK_PORT_RE.test(m) || classifyIPv6(m) !== 'ip' ? m : T.ip));
}

/** Words after which four numbers are a version, not an address (`V8 13.0.245.21`, `Chrome/130.0.6723.191`). */
const VERSION_WORDS = new Set([
  'v', 'v8', 'version', 'ver', 'vers', 'chrome', 'chromium', 'electron', 'node', 'nodejs', 'build', 'release', 'firmware',
  'windows', 'win', 'edge', 'edg', 'safari', 'applewebkit', 'webkit', 'os', 'macos', 'ios', 'android', 'kernel', 'driver',
  'sdk', 'runtime', 'update', 'updating', 'upgrade', 'upgraded', 'upgrading', 'installer', 'package', 'pkg', 'revision',
  'rev', 'libuv', 'openssl', 'icu', 'zlib', 'napi', 'modules', 'python', 'java', 'jdk', 'jre', 'dotnet', 'net', 'framework',
  'msvc', 'clr', 'bios', 'agent', 'app', 'application', 'product', 'patch', 'hotfix', 'kb', 'ffmpeg', 'skia', 'angle', 'dawn', 'gpu', 'vulkan', 'opengl', 'directx', 'd3d', 'mesa', 'nvidia', 'amd',
  'intel', 'office', 'outlook', 'word', 'excel', 'teams', 'firefox', 'gecko', 'opera', 'brave', 'vivaldi', 'cef', 'nw',
  'sqlite', 'postgresql', 'postgres', 'mysql', 'redis', 'nginx', 'curl', 'git', 'npm', 'pnpm', 'yarn', 'bun', 'deno', 'rust',
  'rustc', 'cargo', 'go', 'gcc', 'clang', 'llvm', 'cmake', 'abi', 'node-abi', 'v8-version', 'ver.',
]);
/** Private and link-local ranges: four numbers there are an address unless a version word says otherwise. */
const PRIVATE_V4_RE = /^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/;
/** Words before an address that say it is one, whatever came before them (`connect 13.0.245.21`). */
const ADDRESS_WORDS = new Set([
  'connect', 'connecting', 'connected', 'connection', 'host', 'hostname', 'address', 'addr', 'ip', 'ipv4', 'server', 'peer',
  'remote', 'gateway', 'via', 'proxy', 'dns', 'nameserver', 'resolve', 'resolved', 'resolving', 'ping', 'listen', 'listening',
  'bind', 'bound', 'econnrefused', 'etimedout', 'ehostunreach', 'enetunreach', 'econnreset', 'eaddrinuse', 'eaddrnotavail',
  'enotfound', 'route', 'router', 'subnet', 'lan', 'wan', 'public', 'private', 'local', 'origin', 'forwarded', 'xff',
  'x-forwarded-for', 'x-real-ip', 'inet', 'from', 'to', 'at', 'src', 'dst', 'source', 'destination', 'endpoint', 'upstream', 'socket', 'tcp', 'udp',
]);
const PREV_WORD_RE = /([A-Za-z][\w-]*)[ \t:=(["'/]*$/;

/** An IPv4 address needs no context to be replaced, except where four numbers read as a version:
 *  right after `v` or `Product/`, before `-electron.0` or `+build`, or after a version word. An
 *  address word (connect, host, from…), a port, a scheme or `@` before it make it an address. */
function ipv4Replace(m: string, at: number, s: string): string {
  if (isLoopbackV4(m)) return m;
  const next = s.charCodeAt(at + m.length);
  const next2 = s.charCodeAt(at + m.length + 1);
  if (next === 58 && next2 >= 48 && next2 <= 57) return T.ip; // :port
  const before = s.slice(Math.max(0, at - 32), at);
  if (/(?:\/\/|@|\\\\|\[)$/.test(before)) return T.ip;
  const pw = PREV_WORD_RE.exec(before);
  const word = pw === null ? '' : pw[1]!.toLowerCase();
  if (ADDRESS_WORDS.has(word)) return T.ip;
  const prev = s.charCodeAt(at - 1);
  if ((prev | 32) === 118 && !/[A-Za-z]/.test(s.charAt(at - 2))) return m; // v1.2.3.4
  if (prev === 47 && /(?:^|[^\w/<>.-])[A-Za-z][\w.-]*\/$/.test(before)) return m; // Chrome/130.0.6723.191
  if ((next === 45 || next === 43) && /[A-Za-z]/.test(s.charAt(at + m.length + 1))) return m; // 13.0.245.21-electron.0
  if (VERSION_WORDS.has(word) || word.endsWith('version') || word.endsWith('_ver')) return m;
  // after a product's name (`SQLite 3.46.1.0`, `OpenSSL 3.0.13.1`), outside the private ranges
  if (pw !== null && /[A-Z]/.test(pw[1]!) && /^[ \t]$/.test(before.slice(-1)) && !PRIVATE_V4_RE.test(m)) return m;
  return T.ip;
}

export function scrubIPv4(s: string): string {
  return s.replace(IPV4_RE, ipv4Replace);
}

// ---- MAC addresses --------------------------------------------------------------------------

/** aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, 0:1c:42:a:b:c (macOS arp), aabb.ccdd.eeff (Cisco), and
 *  12 bare hex digits after a word that says it is one (`MAC aabbccddeeff`, `hwaddr`, `BSSID`). */
const MAC_RE = /(?<![\w:.-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-]|\.\w)/g;
const MAC_SHORT_RE = /(?<![\w:.-])[0-9A-Fa-f]{1,2}(?::[0-9A-Fa-f]{1,2}){5}(?![\w:-]|\.\w)/g;
const MAC_DOTTED_RE = /(?<![\w.:-])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w-]|\.\w)/g;
const MAC_BARE_RE = /\b((?:mac|hwaddr|ether|bssid|lladdr|hw addr|physical address|mac address|mac_address|macaddress)[ \t]*(?:address|addr)?[ \t]*[:=]?[ \t]*)([0-9A-Fa-f]{12})\b/gi;

export function scrubMacs(s: string, colon: boolean): string {
  let out = s.replace(MAC_RE, T.mac);
  if (colon) out = out.replace(MAC_SHORT_RE, (m) => (/[A-Fa-f]/.test(m) || m.split(':').some((g) => g.length === 1) ? T.mac : m));
  return out;
}

export function scrubMacsDottedOrBare(s: string): string {
  return s.replace(MAC_DOTTED_RE, (m) => (/[A-Fa-f]/.test(m) ? T.mac : m)).replace(MAC_BARE_RE, (_m, pre: string) => pre + T.mac);
}

// ---- host names -----------------------------------------------------------------------------

/** Suffixes of names that only exist on a private network (mDNS, home routers, company networks). */
const LAN_HOST_RE =
  /(?<![\w.%+@-])(?:[A-Za-z0-9][A-Za-z0-9_-]{0,62}\.)+(?:local|lan|home|internal|intranet|intra|corp|localdomain|localnet|private|priv|home\.arpa|mshome\.net)(?![\w-]|\.[A-Za-z0-9])/gi;
/** A company's internal host: a `corp`/`internal`/`ad`/`lan`/`intranet`/`int` label inside a public
 *  domain (`db01.corp.acme.com`), the whole name. */
const CORP_HOST_RE =
  /(?<![\w.%+@-])(?:[A-Za-z0-9][A-Za-z0-9_-]{0,62}\.)+(?:corp|internal|intranet|intra|ad|lan|int|local|office|vpn|private)\.(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}\.)*(?:com|net|org|io|co|de|uk|fr|nl|be|ch|at|se|no|dk|fi|es|it|pl|cz|us|ca|au|nz|jp|kr|cn|in|br|mx|eu|biz|info|dev|app|cloud|tech|ai|gov|edu|mil)(?![\w-]|\.[A-Za-z0-9])/gi;
/** Default machine names of Windows (DESKTOP-7K2L9QF), and names people give their computers
 *  (alices-macbook-pro, Bobs-iMac, JOHN-PC, alices-laptop). */
const WINDOWS_HOST_RE = /(?<![\w-])(?:DESKTOP|LAPTOP|WIN|WINDOWS|PC)-[A-Z0-9]{5,15}(?![\w-])/g;
const DEVICE_HOST_RE =
  /(?<![\w.-])[\p{L}\p{N}'’]+(?:[-_][\p{L}\p{N}'’]+)*[-_](?:macbook(?:[-_]pro|[-_]air)?|mbp|mba|imac|mac[-_]mini|mac[-_]pro|mac[-_]studio|iphone|ipad|thinkpad|xps|surface|nuc)(?:[-_]\d+)?(?![\w-])/giu;
const POSSESSIVE_HOST_RE = /(?<![\w.-])[\p{L}\p{N}]+s[-_](?:laptop|desktop|pc|workstation|computer|mac|notebook|tower)(?:[-_]\d+)?(?![\w-])/giu;
const UPPER_PC_RE = /(?<![\w-])[A-Z][A-Z0-9]{1,14}-PC(?![\w-])/g;
/** After a lookup error a single-label name is a machine on the network (`getaddrinfo ENOTFOUND
 *  nas`); after a connection error, a name with a port (`ECONNREFUSED devbox:5432`). */
const LOOKUP_HOST_RE =
  /\b((?:ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|[Rr]esolve host(?:name)?:?|connect to host|[Uu]nknown host:?|No such host is known[.:]?|[Hh]ostname:|[Hh]ost:)[ \t]+['"]?)([A-Za-z][A-Za-z0-9_-]{0,62})(?=['"]?(?:[\s:,;)\]]|$))/g;
const CONNECT_HOST_RE =
  /\b((?:ECONNREFUSED|EHOSTUNREACH|EHOSTDOWN|ETIMEDOUT|ECONNRESET|ENETUNREACH|EADDRNOTAVAIL|connect(?:ing)? to|connection to)[ \t]+['"]?)([A-Za-z][A-Za-z0-9_-]{0,62})(?=:\d)/g;
const NOT_MACHINES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback', 'broadcasthost', 'host', 'unknown', 'undefined', 'null', 'none', 'is', 'not', 'the', 'a', 'an', 'port', 'and', 'or', 'with', 'for']);

const NAME_PORT_RE = /[A-Za-z0-9]:\d/;

function machine(m: string, pre: string, name: string): string {
  return NOT_MACHINES.has(name.toLowerCase()) || /^[A-Z0-9_]+$/.test(name) ? m : pre + T.host;
}

/** Machine names, each rule only where its cheap hint (on the lower-cased string) says it could match. */
export function scrubHostNames(s: string, hints: number): string {
  let out = s;
  if (hints & H_LAN) out = out.replace(LAN_HOST_RE, T.host).replace(CORP_HOST_RE, T.host);
  if (hints & H_WINHOST) out = out.replace(WINDOWS_HOST_RE, T.host).replace(UPPER_PC_RE, T.host);
  if (hints & H_DEVICE) out = out.replace(DEVICE_HOST_RE, T.host).replace(POSSESSIVE_HOST_RE, T.host);
  if (hints & H_LOOKUP) out = out.replace(LOOKUP_HOST_RE, machine);
  if (hints & H_CONNECT && NAME_PORT_RE.test(out)) out = out.replace(CONNECT_HOST_RE, machine);
  return out;
}

/** `alice@devbox`, `root@nas`: a login at a machine, with no top-level domain (so not an e-mail).
 *  The login goes unless generic (root, git, …); the machine goes unless it is localhost. Package
 *  tags (`react@latest`) and Firefox frames (`fn@app.js:1:2`, `fn@https://…`) are not logins. */
const USER_AT_HOST_RE = /(?<![\w.%+/@-])([A-Za-z_][\w.-]{0,31})@([A-Za-z][\w-]{0,62})(?![\w@-]|\.[A-Za-z0-9]|:\/\/|:\d|\/)/g;
const PACKAGE_TAGS = new Set(['latest', 'next', 'beta', 'alpha', 'canary', 'rc', 'stable', 'lts', 'nightly', 'dev', 'experimental', 'insiders', 'main', 'master', 'head', 'edge', 'preview', 'legacy', 'release', 'tag', 'version', 'workspace', 'npm', 'file', 'link', 'patch', 'portal', 'git', 'github', 'anonymous', 'native', 'debugger', 'eval']);

export function scrubUserAtHost(s: string, generic: ReadonlySet<string>): string {
  return s.replace(USER_AT_HOST_RE, (m, user: string, host: string) => {
    if (PACKAGE_TAGS.has(host.toLowerCase()) || user.startsWith('<')) return m;
    const u = generic.has(user.toLowerCase()) ? user : T.user;
    const h = NOT_MACHINES.has(host.toLowerCase()) ? host : T.host;
    return u + '@' + h;
  });
}

/** The machine's own names (`os.hostname()`, with and without its `.local` suffix), as whole words. */
export function compileHostNames(names: readonly string[]): { re: RegExp; test: RegExp } | null {
  const forms = new Set<string>();
  for (const raw of names) {
    const n = raw.trim();
    if (n.length < 2 || NOT_MACHINES.has(n.toLowerCase())) continue;
    forms.add(n);
    const dot = n.indexOf('.');
    if (dot >= 2) forms.add(n.slice(0, dot));
  }
  if (forms.size === 0) return null;
  const alts = [...forms].sort((a, b) => b.length - a.length).map(escapeRe);
  return {
    re: new RegExp(`(?<![\\p{L}\\p{N}_-])(?:${alts.join('|')})(?:\\.(?:local|lan|home|localdomain))?(?![\\p{L}\\p{N}_-])`, 'giu'),
    // the quick test: the names as plain strings (a Unicode look-behind at every position is slow)
    test: new RegExp(alts.join('|'), 'i'),
  };
}
