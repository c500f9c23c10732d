// The PII scrubber: runs synchronously on every event, inside track(), before anything is buffered,
// stored or sent. It replaces sensitive substrings with short tokens and keeps the text around them,
// so an error message or a stack trace stays useful for grouping and debugging.
//
// Tokens (SCRUB_TOKENS):
//   <user>      a user name: the directory after /home/, /Users/, C:\Users\ (any separator, also
//               file:/// URLs and %2F/%5C-encoded), the injected homeDirs, and the injected userNames
//               as whole words (case-insensitive, NFC/NFD and URL-encoded forms too)
//   <email>     an e-mail address (also with %40 for @)
//   <ip>        an IPv4 or IPv6 address, except loopback/unspecified ones (127.0.0.0/8, 0.0.0.0,
//               255.255.255.255, ::1, ::), which identify no one and make EADDRINUSE 127.0.0.1:8080
//               readable. Private ranges (10.x, 192.168.x, fe80::) ARE replaced.
//   <mac>       a MAC address (aa:bb:cc:dd:ee:ff or aa-bb-...)
//   <uuid>      any UUID/GUID: in an error message it usually names someone's record (a chat, a file)
//   <hex>       a run of 32 or more hex digits (hashes, ids, hex-encoded keys). Shorter ones such as
//               the 8- to 20-digit content hashes of chunk file names (index-3f2a9c1b.js) are kept.
//   <card>      a payment card number: 13-19 digits, plain or grouped 4-4-4-4 / 4-6-5 with spaces or
//               dashes, first digit 2-6, and only when the Luhn check passes (order ids that fail it,
//               and millisecond timestamps, stay)
//   <jwt>       a JSON Web Token (eyJ....eyJ....sig)
//   <key>       a well-known API key format (OpenAI/Anthropic sk-..., GitHub ghp_/gho_/ghs_/ghu_/ghr_/
//               github_pat_, AWS AKIA/ASIA+16, Slack xox?-, Google AIza, Stripe sk_/pk_/rk_/whsec_,
//               Hugging Face hf_, Groq gsk_, xAI xai-, GitLab glpat-, npm_, Replicate r8_, Google
//               OAuth ya29., SendGrid SG.) and PEM private key blocks
//   <token>     the credential after `Bearer` / `Basic`, and long high-entropy strings: a run of
//               16+ letters and digits whose character classes change often enough to look random
//               (a heuristic; identifiers such as claude-3-5-sonnet-20241022 or
//               getElementsByClassName are kept)
//   <redacted>  the value of a secret-named key in free text (password=..., "token": "...",
//               Authorization: ..., Cookie: ..., --password ...), every non-empty URL query value,
//               and URL fragments
//
// Decisions worth knowing:
//   - URL userinfo (https://bob:pw@host) is dropped entirely: https://host.
//   - URL hosts and paths are kept, only the rules above apply inside them; the home-directory
//     rule does not apply to http(s)/ws(s) paths, so a route such as /home/feed is kept.
//   - /root is kept: "root" names no one. Generic account names (root, admin, user, runner, ...) in
//     userNames are not replaced as words; Public/Shared/Default home folders are kept.
//   - Injected user names shorter than 3 characters are replaced only as a whole path segment.
//   - Phone numbers are not detected (too many false positives against ids and timestamps).
//   - Output may be a little longer than the input (a token can be longer than what it replaces);
//     validate lengths after scrubbing.
//   - key=value in free text: the value ends at whitespace or one of , ; & ( ) [ ] { } < > (as in a
//     form body), unless quoted. `token: expired` (a plain word after a colon, key not a password)
//     reads as prose and is kept; `password: letmein` is always replaced. `auth.js:22:11` is a file
//     position, not a key.
//   - The high-entropy <token> rule is a heuristic: it misses roughly 10% of random 16-24 character
//     strings (and ~2% of 32+); known formats and secret-named keys are the main line of defence.
//   - A file name holding 32+ hex digits loses them to <hex>; an unbracketed IPv6 address followed
//     by :port (fd12::1:8443) is ambiguous and is replaced together with the port.
//   - Every function is idempotent: scrubbing its own output changes nothing.
//   - context() drops secret-named keys (see isSecretKey) unless the value is a boolean or null,
//     which cannot carry a secret; it always returns a new object (never the caller's, which the
//     caller could still mutate after track()) and drops a `__proto__` key.
import type { Context } from '../event/schema.js';

export interface ScrubberOptions {
  /** Home directories of the person using the app (e.g. `os.homedir()`), injected by the caller. */
  homeDirs?: string[];
  /** Names of the person (e.g. `os.userInfo().username`, a display name), injected by the caller. */
  userNames?: string[];
}

export interface Scrubber {
  /** Error messages and any free text. */
  text(s: string): string;
  /** A URL: keeps scheme, host and path; drops userinfo; replaces every query value and the fragment. */
  url(s: string): string;
  /** A stack trace: like text(); function names, file names, line and column of frames are kept. */
  stack(s: string): string;
  /** Drops secret-named keys, scrubs string values with text(). Always a new object. */
  context(ctx: Context | undefined): Context | undefined;
}

export const SCRUB_TOKENS = {
  user: '<user>',
  email: '<email>',
  ip: '<ip>',
  mac: '<mac>',
  uuid: '<uuid>',
  hex: '<hex>',
  card: '<card>',
  jwt: '<jwt>',
  key: '<key>',
  token: '<token>',
  redacted: '<redacted>',
} as const;

const T = SCRUB_TOKENS;

// ---------------------------------------------------------------------------------------------
// Secret-looking key names (context keys, key=value pairs in text, --flags)
// ---------------------------------------------------------------------------------------------

/** A key is split into words on `_`, `.`, `-` and camelCase; any of these words makes it secret. */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode', 'secret', 'secrets', 'token', 'auth',
  'authorization', 'authorisation', 'cookie', 'cookies', 'credential', 'credentials', 'creds', 'cred',
  'key', 'apikey', 'privatekey', 'private', 'privkey', 'signature', 'sig', 'otp', 'jwt', 'bearer',
  'session', 'sessionid', 'sid', 'jsessionid', 'phpsessid', 'csrf', 'xsrf', 'salt', 'mnemonic', 'cvv',
  'cvc', 'ssn', 'pin', 'iban',
]);
/** Words glued together without separators (accesstoken, dbpassword, xsrftoken, ...). */
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'passwd', 'apikey', 'accesskey', 'secretkey', 'privatekey', 'authkey', 'sessionid', 'cookie', 'credential', 'credentials'];
/** When the LAST word of a key is one of these, the key names a fact about a secret, not the secret:
 *  token_count, password_length, api_key_present, auth_method, key_layout. */
const QUALIFIER_WORDS = new Set([
  'count', 'counts', 'total', 'length', 'len', 'size', 'type', 'types', 'kind', 'method', 'methods', 'mode',
  'scheme', 'provider', 'source', 'status', 'result', 'outcome', 'error', 'errors', 'present', 'exists',
  'enabled', 'disabled', 'required', 'set', 'valid', 'invalid', 'expired', 'expiry', 'expires',
  'expiration', 'ttl', 'age', 'duration', 'ms', 'seconds', 'limit', 'limits', 'usage', 'budget', 'used',
  'remaining', 'version', 'format', 'algorithm', 'alg', 'strength', 'rotation', 'rotated', 'refreshed',
  'field', 'fields', 'name', 'layout', 'pressed', 'binding', 'bindings', 'changed', 'attempts', 'retries',
  'failures', 'failed', 'ok', 'success',
]);
/** Key words whose value is a secret even when it reads like a plain word (`password: letmein`). */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode', 'secret', 'pin', 'otp', 'cvv', 'cvc']);

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

function isSecretWord(w: string): boolean {
  if (SECRET_WORDS.has(w)) return true;
  for (const suf of SECRET_SUFFIXES) if (w.length > suf.length && w.endsWith(suf)) return true;
  return false;
}

/**
 * Whether a key names a secret. The key is split into words (on `_`, `.`, `-`, spaces and camelCase,
 * lower-cased): it is secret when one word is a secret word (password, token, key, auth, cookie,
 * session, private, ...) or ends with one glued on (accesstoken, dbpassword), and the last word is not
 * a qualifier that makes it a fact about the secret (count, length, type, method, present, ...).
 * `session` + `id` counts as secret. `keyboard_layout`, `max_tokens`, `author`, `token_count` are not.
 */
export function isSecretKey(key: string): boolean {
  // the same few keys come back on every event: remember the answer (bounded, so odd keys cannot grow it)
  let known = secretKeyCache.get(key);
  if (known === undefined) {
    known = decideSecretKey(key);
    if (secretKeyCache.size >= 4096) secretKeyCache.clear();
    secretKeyCache.set(key, known);
  }
  return known;
}

const secretKeyCache = new Map<string, boolean>();

function decideSecretKey(key: string): boolean {
  const words = keyWords(key);
  let secret = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (isSecretWord(w) || (w === 'id' && i > 0 && words[i - 1] === 'session')) {
      secret = true;
      break;
    }
  }
  if (!secret) return false;
  const last = words[words.length - 1]!;
  return !QUALIFIER_WORDS.has(last);
}

function isPasswordKey(key: string): boolean {
  for (const w of keyWords(key)) if (PASSWORD_WORDS.has(w) || w.endsWith('password') || w.endsWith('passwd')) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Module-level regular expressions (compiled once)
// ---------------------------------------------------------------------------------------------

// One pass over the string sets these flags; each rule runs only when its flag is set, and a string
// with no flag (and no injected name) is returned as is: that is the fast path for short labels.
const F_AT = 1 << 0; // @ or %40
const F_COLON = 1 << 1;
const F_EQ = 1 << 2;
const F_QMARK = 1 << 3;
const F_SLASH = 1 << 4; // / or \
const F_PCT = 1 << 5;
const F_DDASH = 1 << 6; // --
const F_WORD16 = 1 << 7; // 16+ letters/digits in a row, or a [\w+-] run of 16+ with both cases
const F_RUN36 = 1 << 8; // a [\w+-] run of 36+ (a UUID fits)
const F_IPV4 = 1 << 9; // a run of digits and 3+ dots
const F_CARD = 1 << 10; // a run of digits, spaces and dashes with 13+ digits
const F_HEXDASH = 1 << 11; // a run of hex digits and dashes of 17+ (MAC aa-bb-.., UUID)
const F_IPV6 = 1 << 12; // "::" or a run of hex digits and 5+ colons (IPv6, MAC aa:bb:..)
const F_HEX32 = 1 << 13; // 32+ hex digits in a row
const F_AUTH = 1 << 14; // bearer / basic
const F_STARS = 1 << 15; // **** (a masked key)
const F_HASH = 1 << 16; // a URL fragment
/** No feature, but an injected name occurs: only the name rule runs. */
const F_NAME_ONLY = 1 << 30;

function startsWithCi(s: string, at: number, lower: string): boolean {
  if (at + lower.length > s.length) return false;
  for (let k = 0; k < lower.length; k++) if ((s.charCodeAt(at + k) | 32) !== lower.charCodeAt(k)) return false;
  return true;
}

function scan(s: string): number {
  let f = 0;
  let word = 0;
  let alnum = 0;
  let hex = 0;
  let hexDash = 0;
  let colons = 0;
  let dots = 0;
  let cardDigits = 0;
  let stars = 0;
  let up = false;
  let lo = false;
  let prev = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      // a-z, by far the most common: the same bookkeeping as below, specialised
      alnum++;
      word++;
      lo = true;
      dots = 0;
      cardDigits = 0;
      stars = 0;
      if (c <= 102) {
        if (++hex >= 32) f |= F_HEX32;
        if (++hexDash >= 17) f |= F_HEXDASH;
        if (c === 98 && (startsWithCi(s, i + 1, 'earer') || startsWithCi(s, i + 1, 'asic'))) f |= F_AUTH;
      } else {
        hex = 0;
        hexDash = 0;
        colons = 0;
      }
      if (alnum >= 16 || (word >= 16 && up)) f |= F_WORD16;
      if (word >= 36) f |= F_RUN36;
      prev = c;
      continue;
    }
    const lc = c | 32;
    const digit = c >= 48 && c <= 57;
    if (digit || (lc >= 97 && lc <= 122)) {
      alnum++;
      word++;
      if (!digit) {
        if (c >= 97) lo = true;
        else up = true;
        dots = 0;
        cardDigits = 0;
        if (lc === 98 && (startsWithCi(s, i + 1, 'earer') || startsWithCi(s, i + 1, 'asic'))) f |= F_AUTH;
      } else if (++cardDigits >= 13) f |= F_CARD;
      if (digit || lc <= 102) {
        if (++hex >= 32) f |= F_HEX32;
        if (++hexDash >= 17) f |= F_HEXDASH;
      } else {
        hex = 0;
        hexDash = 0;
        colons = 0;
      }
      if (alnum >= 16 || (word >= 16 && up && lo)) f |= F_WORD16;
      if (word >= 36) f |= F_RUN36;
      stars = 0;
    } else {
      alnum = 0;
      hex = 0;
      if (c === 45 || c === 95 || c === 43) {
        // - _ +
        if (++word >= 36) f |= F_RUN36;
        if (word >= 16 && up && lo) f |= F_WORD16;
      } else {
        word = 0;
        up = false;
        lo = false;
      }
      if (c === 45) {
        if (++hexDash >= 17) f |= F_HEXDASH;
        if (prev === 45) f |= F_DDASH;
      } else hexDash = 0;
      if (c === 58) {
        f |= F_COLON;
        if (prev === 58 || ++colons >= 5) f |= F_IPV6;
      } else colons = 0;
      if (c === 46) {
        if (++dots >= 3) f |= F_IPV4;
      } else dots = 0;
      if (c !== 32 && c !== 45) cardDigits = 0;
      if (c === 42) {
        if (++stars >= 4) f |= F_STARS;
      } else stars = 0;
      if (c === 64) f |= F_AT;
      else if (c === 37) {
        f |= F_PCT;
        if (s.charCodeAt(i + 1) === 52 && s.charCodeAt(i + 2) === 48) f |= F_AT;
      } else if (c === 61) f |= F_EQ;
      else if (c === 63) f |= F_QMARK;
      else if (c === 35) f |= F_HASH;
      else if (c === 47 || c === 92) f |= F_SLASH;
    }
    prev = c;
  }
  return f;
}

const PEM_RE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
/** An absolute URL inside free text; an apostrophe only between letters (O'Brien), quotes end it. */
const URL_REST_RE = /:\/\/(?:[^\s"'<>`\\]|(?<=[A-Za-z])'(?=[A-Za-z]))*/y;
const URL_PARTS_RE = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#\\]*))?([^?#]*)(?:\?([^#]*))?(?:#([\s\S]*))?$/;
const LINE_COL_RE = /(?::\d+){1,2}$/;
/** `?a=1&b=2` after a path in free text (absolute URLs are handled whole, before). */
const REL_QUERY_RE = /\?[\w.\-%[\]]+=[^\s#"'<>`]*(?:#[^\s"'<>`]*)?/y;
/** What may precede the `?` of a query string: the end of a path. [\w/.~%)\]-] */
function isPathEndChar(c: number): boolean {
  return isSchemeChar(c) ? c !== 43 : c === 95 || c === 47 || c === 126 || c === 37 || c === 41 || c === 93;
}
const COOKIE_RE = /(?<![\w-])((?:set-)?cookies?)(["']?[ \t]*[:=][ \t]*)("(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|[^\r\n]+)/gi;
const JWT_RE = /(?<![\w-])eyJ[\w-]{4,}\.[\w-]{4,}(?:\.[\w-]*){0,3}/g;
/** Well-known key formats, tried (sticky) at the start of each run of [A-Za-z0-9_+-] by scrubKeys(). */
const KEYS_RE = new RegExp(
  '(?:' +
    [
      'sk-[A-Za-z0-9_\\-*]{20,}',
      'gh[pousr]_[A-Za-z0-9]{30,}',
      'github_pat_[A-Za-z0-9_]{30,}',
      '(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}',
      'xox[abposre]-[A-Za-z0-9\\-]{10,}',
      'xapp-[A-Za-z0-9\\-]{10,}',
      'AIza[0-9A-Za-z_\\-]{35}',
      '(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}',
      'whsec_[A-Za-z0-9]{20,}',
      'hf_[A-Za-z0-9]{30,}',
      'gsk_[A-Za-z0-9]{30,}',
      'xai-[A-Za-z0-9]{30,}',
      'glpat-[A-Za-z0-9_\\-]{20,}',
      'npm_[A-Za-z0-9]{36,}',
      'r8_[A-Za-z0-9]{30,}',
      'ya29\\.[A-Za-z0-9_\\-]{20,}',
      'SG\\.[A-Za-z0-9_\\-]{16,}\\.[A-Za-z0-9_\\-]{16,}',
    ].join('|') +
    ')(?![A-Za-z0-9_\\-])',
  'y',
);
/** First characters of the formats above. */
const KEY_FIRST = new Set([...'sgxAprwhnyS'].map((ch) => ch.charCodeAt(0)));
const BEARER_RE = /\b(Bearer|Basic)([ \t]+)(?!(?:Bearer|Basic)\b)([A-Za-z0-9\-._~+/]+=*)/gi;
/** key = value, key: value, "key": "value", key => value, matched where a secret word was found
 *  (KV_WORD_RE); the whole key is then checked with isSecretKey(). */
const KV_AT_RE =
  /([A-Za-z_][\w.-]{0,63})(?:\\?["'])?[ \t]*(=>|=(?!=)|:(?!:))[ \t]*("(?:[^"\\\r\n]|\\[^\r\n])*(?:"|\\?(?=[\r\n]|$))|\\"(?:[^"\\\r\n]|\\[^"\r\n])*(?:\\"|\\?(?=[\r\n]|$))|'(?:[^'\\\r\n]|\\[^\r\n])*(?:'|\\?(?=[\r\n]|$))|(?:(?:Bearer|Basic|Token|Digest)[ \t]+)?[^\s,;&'"<>()[\]{}]+)/y;
const KV_WORDS = 'pass|pwd|secret|token|key|auth|cookie|session|cred|private|sig|otp|jwt|bearer|csrf|xsrf|salt|mnemonic|cvv|cvc|ssn|pin|sid|iban|sessid';
const KV_HINT_RE = new RegExp(KV_WORDS, 'i');
const KV_WORD_RE = new RegExp(KV_WORDS, 'gi');
const CLI_RE = /(?<![\w-])(--)([A-Za-z][\w-]*)([ \t]+)([^\s\-<][^\s]*)/g;
const EMAIL_RE = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+(?:@|%40)(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?![\p{L}\p{N}-])(?!:\d+:\d+)/gu;
const HOME_SEG =
  '(?:[^\\\\/\\s"`<>|:*?]+(?=[\\\\/])' + // one segment followed by a separator (may hold an apostrophe: O'Brien)
  '|[^\\\\/\\s"\'`<>|:*?]+(?: [^\\\\/\\s"\'`<>|:*?]+){1,2}(?=[\\\\/])' + // "John Smith\" (spaces, then a separator)
  '|[^\\\\/\\s"\'`<>|:*?,;()[\\]{}]+)'; // last segment of a path
const HOME_RE = new RegExp(
  '([\\\\/](?:home|Users)[\\\\/]+|[A-Za-z]:[\\\\/]+[Uu][Ss][Ee][Rr][Ss][\\\\/]+|\\\\[Uu][Ss][Ee][Rr][Ss]\\\\+)(' + HOME_SEG + ')',
  'g',
);
const HOME_HINT_RE = /home|users/i;
const HOME_ENC_RE = /((?:%2F|%5C)(?:home|users)(?:%2F|%5C)+)((?:(?!%2F|%5C)[^\s&"'<>/\\#?])+)/gi;
/** Home folders that belong to no one. */
const SHARED_HOME_SEGS = new Set(['shared', 'public', 'default', 'default user', 'all users', 'defaultuser0', 'guest']);
const UUID_RE = /(?=[0-9A-Fa-f])(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])/g;
const MAC_RE = /(?<![\w:.-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-]|\.\w)/g;
const IPV6_RE = /(?=[0-9A-Fa-f:])(?<![\w:.%])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,45}(?:(?:\.\d{1,3}){3})?(?:%[\w.-]+)?(?![\w]|:[0-9A-Fa-f])/g;
const IPV4_RE = /(?=\d)(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;
const HEX_RE = /(?=[0-9A-Fa-f])(?<![A-Za-z0-9])(?:[0-9a-f]{32,}|[0-9A-F]{32,})(?![A-Za-z0-9])/g;
const CARD_RE = /(?=\d)(?<![\w.+])\d+(?:[ -]\d+)*(?!\w)/g;
const ALNUM_RUN_RE = /[A-Za-z0-9]{16,}/g;

/** Account names that identify no one; not replaced as words (they are still replaced in home paths). */
const GENERIC_NAMES = new Set([
  'root', 'admin', 'administrator', 'user', 'users', 'guest', 'default', 'public', 'shared', 'home', 'test',
  'runner', 'ubuntu', 'node', 'app', 'pi', 'vagrant', 'ec2-user', 'docker', 'jenkins', 'build', 'dev',
  'developer', 'www-data', 'nobody', 'system', 'local', 'owner', 'me', 'all users', 'default user',
  // our own token words, so scrubbing stays idempotent
  ...Object.keys(T),
]);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Index where a URL found in free text really ends: drops trailing punctuation and unbalanced `)`/`]`. */
function urlEnd(u: string): number {
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

function luhn(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** Card shapes: one group of 13-19 digits, groups of 4 with a shorter last one, or 4-6-5 / 4-6-4. */
function cardShape(groups: string[], i: number, j: number): boolean {
  if (i === j) return true;
  const n = j - i + 1;
  if (n === 3 && groups[i]!.length === 4 && groups[i + 1]!.length === 6 && (groups[j]!.length === 5 || groups[j]!.length === 4)) return true;
  for (let k = i; k < j; k++) if (groups[k]!.length !== 4) return false;
  return groups[j]!.length >= 1 && groups[j]!.length <= 4;
}

/** Replaces the card numbers inside a run of digit groups separated by single spaces or dashes. */
function scrubDigitRun(run: string): string {
  let digitCount = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c >= 48 && c <= 57) digitCount++;
  }
  if (digitCount < 13) return run;
  const groups = run.split(/[ -]/);
  const seps = run.match(/[ -]/g) ?? [];
  const out: string[] = [];
  let i = 0;
  while (i < groups.length) {
    let found = -1;
    const first = groups[i]!.charCodeAt(0);
    if (first >= 50 && first <= 54) {
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        digits += groups[j]!;
        if (digits.length > 19) break;
        if (digits.length >= 13 && cardShape(groups, i, j) && luhn(digits)) found = j;
      }
    }
    if (found >= 0) {
      out.push(T.card);
      if (found < groups.length - 1) out.push(seps[found]!);
      i = found + 1;
    } else {
      out.push(groups[i]!);
      if (i < groups.length - 1) out.push(seps[i]!);
      i++;
    }
  }
  return out.join('');
}

/** Does a run of 16+ letters and digits look random rather than like a word, an identifier or a version? */
function randomish(r: string): boolean {
  const n = r.length;
  let lo = 0;
  let up = 0;
  let dg = 0;
  let changes = 0;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const c = r.charCodeAt(i);
    const cls = c <= 57 ? 2 : c <= 90 ? 1 : 0;
    if (cls === 2) dg++;
    else if (cls === 1) up++;
    else lo++;
    if (prev >= 0 && cls !== prev) changes++;
    prev = cls;
  }
  const ratio = changes / (n - 1);
  if (up > 0 && lo > 0) {
    const upFrac = up / (up + lo);
    return upFrac >= 0.25 && upFrac <= 0.75 && ratio >= 0.45;
  }
  if (dg === 0 || dg === n) return false; // one case of letters only, or digits only
  if (/^[0-9a-f]+$/.test(r) || /^[0-9A-F]+$/.test(r)) return false; // hex: only 32+ (the <hex> rule)
  return dg >= 3 && ratio >= (n >= 24 ? 0.22 : 0.3);
}

function tokenLike(cand: string): boolean {
  ALNUM_RUN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ALNUM_RUN_RE.exec(cand)) !== null) if (randomish(m[0])) return true;
  // base64url tokens are cut into short runs by their own `-` and `_`: judge the letters and digits together
  // (only for mixed-case ones: `io-6f17d22bba15001f` is a word and a short hash)
  const joined = cand.replace(/[^A-Za-z0-9]+/g, '');
  return joined.length >= 16 && joined.length < cand.replace(/=+$/, '').length && /[a-z]/.test(joined) && /[A-Z]/.test(joined) && randomish(joined);
}

/** [A-Za-z0-9_+-] */
function isTokenChar(c: number): boolean {
  const lc = c | 32;
  return (c >= 48 && c <= 57) || (lc >= 97 && lc <= 122) || c === 95 || c === 43 || c === 45;
}

/** Replaces high-entropy runs: a maximal run of [A-Za-z0-9_+-] of 16+ (plus `=` padding) that tokenLike(). */
function scrubTokens(s: string): string {
  const n = s.length;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < n) {
    if (!isTokenChar(s.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isTokenChar(s.charCodeAt(j))) j++;
    if (j - i >= 16) {
      let e = j;
      while (e < n && e - j < 2 && s.charCodeAt(e) === 61) e++;
      if (s.charCodeAt(e) !== 61 && tokenLike(s.slice(i, e))) {
        out += s.slice(last, i) + T.token;
        last = e;
      }
    }
    i = j;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Well-known key formats (KEYS_RE), tried where a run of [A-Za-z0-9_-] starts with one of their first letters. */
function scrubKeys(s: string): string {
  const n = s.length;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (!isTokenChar(c)) {
      i++;
      continue;
    }
    const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
    if (KEY_FIRST.has(c) && (prev === 43 || !isTokenChar(prev))) {
      KEYS_RE.lastIndex = i;
      const m = KEYS_RE.exec(s);
      if (m !== null) {
        out += s.slice(last, i) + T.key;
        i = last = i + m[0].length;
        continue;
      }
    }
    i++;
    while (i < n && isTokenChar(s.charCodeAt(i))) i++;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Finds each `?key=value...` after a path in free text and hands it to `each`. */
function replaceRelQueries(s: string, each: (q: string) => string): string {
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

/** [A-Za-z0-9+.-] */
function isSchemeChar(c: number): boolean {
  const lc = c | 32;
  return (c >= 48 && c <= 57) || (lc >= 97 && lc <= 122) || c === 43 || c === 46 || c === 45;
}

/** Finds each `scheme://...` in free text and hands it to `each` (which returns its replacement). */
function replaceUrls(s: string, each: (url: string) => string): string {
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

/** [A-Za-z0-9_.-] */
function isKeyChar(c: number): boolean {
  return isSchemeChar(c) ? c !== 43 : c === 95;
}

/** key=value pairs whose key is secret: found from the secret words, not by trying every `x: y`. */
function scrubKeyValues(s: string): string {
  KV_WORD_RE.lastIndex = 0;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = KV_WORD_RE.exec(s)) !== null) {
    let k = m.index;
    while (k > last && isKeyChar(s.charCodeAt(k - 1))) k--;
    while (k < m.index && !((s.charCodeAt(k) | 32) >= 97 && (s.charCodeAt(k) | 32) <= 122) && s.charCodeAt(k) !== 95) k++; // a key starts with a letter or _
    KV_AT_RE.lastIndex = k;
    const kv = KV_AT_RE.exec(s);
    if (kv === null) continue;
    const rep = kvReplace(kv[0], kv[1]!, kv[2]!, kv[3]!);
    if (rep === kv[0]) continue;
    out += s.slice(last, k) + rep;
    last = k + kv[0].length;
    KV_WORD_RE.lastIndex = last;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Letters, digits and `_` in any script: what continues a name. */
function isNameCharAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;
  return /[\p{L}\p{N}\p{M}]/u.test(s.charAt(i));
}

const PROSE_WORD_RE = /^[A-Za-z][a-z]{0,23}$/;
const AUTH_SCHEME_RE = /^(?:Bearer|Basic|Token|Digest)$/i;
const TOKEN_VALUE_RE = /^(["']?)<[a-z]+>\1$/;

/** `auth.js:22:11` in a stack frame is a file position, not `auth: <secret>`. */
const SOURCE_FILE_RE = /\.(?:[cm]?[jt]sx?|json|node|asar|html?|vue|svelte|wasm|py|rs|go|c|cc|cpp|h|hpp|mm?|java|kt|cs|rb|php|swift|sh)$/i;
const QUOTED_SCHEME_RE = /^((?:Bearer|Basic|Token|Digest)[ \t]+)(.*)$/i;

/** The inside of a quoted value: `Bearer <token>` stays, `Bearer abc` keeps its scheme, the rest goes. */
function redactQuoted(inner: string): string {
  const m = QUOTED_SCHEME_RE.exec(inner);
  if (m === null) return T.redacted;
  return m[1]! + (TOKEN_VALUE_RE.test(m[2]!) ? m[2]! : T.redacted);
}

function kvReplace(m: string, key: string, sep: string, value: string): string {
  if (!isSecretKey(key)) return m;
  if (sep === ':' && SOURCE_FILE_RE.test(key)) return m;
  if (TOKEN_VALUE_RE.test(value) || TOKEN_VALUE_RE.test(value.replace(/\\"/g, '"'))) return m;
  if (AUTH_SCHEME_RE.test(value)) return m; // "Authorization: Bearer <token>": the scheme stays
  const q = value.charAt(0);
  let repl: string;
  // an unterminated quote runs to the end of the line, and is closed in the output
  if (q === '"' || q === "'") repl = q + redactQuoted(value.length > 1 && value.endsWith(q) ? value.slice(1, -1) : value.slice(1)) + q;
  else if (q === '\\') repl = '\\"' + redactQuoted(value.length > 3 && value.endsWith('\\"') ? value.slice(2, -2) : value.slice(2)) + '\\"';
  else {
    const sp = value.search(/[ \t]/);
    if (sp > 0) repl = value.slice(0, sp) + ' ' + T.redacted; // Token abc / Bearer abc
    else {
      // "Invalid token: expired" reads like prose; "password: letmein" does not.
      if (sep === ':' && PROSE_WORD_RE.test(value) && !isPasswordKey(key)) return m;
      repl = T.redacted;
    }
  }
  return m.slice(0, m.length - value.length) + repl;
}

function scrubQueryString(q: string, core: (s: string) => string): string {
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
const PHONE_URL_RE = /^(?:tel|sms|callto):/i;

// ---------------------------------------------------------------------------------------------
// The scrubber
// ---------------------------------------------------------------------------------------------

function nameVariants(name: string): string[] {
  const out = new Set<string>();
  for (const form of [name.normalize('NFC'), name.normalize('NFD')]) {
    out.add(form);
    const enc = encodeURIComponent(form);
    if (enc !== form) out.add(enc);
  }
  return [...out];
}

export function createScrubber(opts: ScrubberOptions = {}): Scrubber {
  // --- injected user names ---
  const longNames = new Set<string>();
  const shortNames = new Set<string>();
  for (const raw of opts.userNames ?? []) {
    const name = raw.trim();
    if (name === '' || GENERIC_NAMES.has(name.toLowerCase())) continue;
    for (const v of nameVariants(name)) (name.length < 3 ? shortNames : longNames).add(v);
  }
  // --- injected home directories: their last segment becomes <user> wherever they appear ---
  const homePatterns: string[] = [];
  for (const raw of opts.homeDirs ?? []) {
    const segs = raw.trim().split(/[\\/]+/);
    while (segs.length > 0 && segs[segs.length - 1] === '') segs.pop();
    const last = segs[segs.length - 1];
    if (segs.length < 2 || last === undefined || GENERIC_NAMES.has(last.toLowerCase())) continue;
    homePatterns.push(segs.map(escapeRe).join('[\\\\/]+'));
    // long names from home dirs also count as names (C:\Users\jsmith while the login is "John Smith")
    if (last.length >= 3) for (const v of nameVariants(last)) longNames.add(v);
  }
  const byLength = (a: string, b: string): number => b.length - a.length;
  // Names are searched case-insensitively as plain strings; whether the hit is a whole word is
  // checked around it (isNameCharAt), which is much cheaper than a Unicode look-behind at every position.
  const namesRe = longNames.size > 0 ? new RegExp([...longNames].sort(byLength).map(escapeRe).join('|'), 'gi') : null;
  const namesTestRe = namesRe === null ? null : new RegExp(namesRe.source, 'i');
  const shortNamesRe =
    shortNames.size > 0 ? new RegExp(`(?<=[\\\\/])(?:${[...shortNames].sort(byLength).map(escapeRe).join('|')})(?=[\\\\/\\s"'\`]|$)`, 'gi') : null;
  const homesRe =
    homePatterns.length > 0
      ? new RegExp(`(?:${homePatterns.sort(byLength).join('|')})(?![^\\\\/\\s"'\`<>|:*?,;()[\\]{}])`, 'gi')
      : null;
  const homesTestRe = homesRe === null ? null : new RegExp(homesRe.source, 'i');
  const shortNamesTestRe = shortNamesRe === null ? null : new RegExp(shortNamesRe.source, 'i');
  const nameReplace = (m: string, at: number, str: string): string =>
    isNameCharAt(str, at - 1) || isNameCharAt(str, at + m.length) ? m : T.user;

  const homeReplace = (m: string): string => {
    const cut = Math.max(m.lastIndexOf('/'), m.lastIndexOf('\\'));
    return m.slice(0, cut + 1) + T.user;
  };
  const homeSegReplace = (m: string, pre: string, seg: string): string => (SHARED_HOME_SEGS.has(seg.toLowerCase()) || seg === T.user ? m : pre + T.user);

  const urlInText = (m: string): string => {
    const end = urlEnd(m);
    let core = m.slice(0, end);
    let tail = m.slice(end);
    const lc = LINE_COL_RE.exec(core);
    if (lc !== null) {
      tail = lc[0] + tail;
      core = core.slice(0, lc.index);
    }
    return scrubUrl(core) + tail;
  };

  const relQuery = (m: string): string => {
    const body = m.slice(1);
    const end = urlEnd(body);
    const core = body.slice(0, end);
    const hash = core.indexOf('#');
    const q = hash >= 0 ? core.slice(0, hash) : core;
    const frag = hash >= 0 ? (hash < core.length - 1 ? '#' + T.redacted : '#') : '';
    return '?' + scrubQueryString(q, coreNoHome) + frag + body.slice(end);
  };

  /** Every rule, in order; each runs only if the feature scan says it could match.
   *  `home`: apply the home-directory rule; `urls`: look for URLs (and relative query strings) first. */
  function core(input: string, f: number, home: boolean, urls: boolean): string {
    let s = input;
    if (f & F_DDASH && s.includes('-----BEGIN')) s = s.replace(PEM_RE, T.key);
    if (urls) {
      if (f & F_COLON && f & F_SLASH) s = replaceUrls(s, urlInText);
      if (f & F_QMARK && f & F_EQ) s = replaceRelQueries(s, relQuery);
    }
    const kvHint = (f & (F_COLON | F_EQ | F_DDASH)) !== 0 && KV_HINT_RE.test(s);
    if (kvHint && f & (F_COLON | F_EQ) && /cookie/i.test(s)) s = s.replace(COOKIE_RE, cookieReplace);
    if (f & F_WORD16 && s.includes('eyJ')) s = s.replace(JWT_RE, T.jwt);
    if (f & (F_WORD16 | F_STARS)) s = scrubKeys(s);
    if (f & F_AUTH) s = s.replace(BEARER_RE, bearerReplace);
    if (kvHint) {
      if (f & (F_COLON | F_EQ)) s = scrubKeyValues(s);
      if (f & F_DDASH) s = s.replace(CLI_RE, cliReplace);
    }
    if (f & F_AT) s = s.replace(EMAIL_RE, T.email);
    if (home && f & (F_SLASH | F_PCT) && HOME_HINT_RE.test(s)) {
      s = s.replace(HOME_RE, homeSegReplace);
      if (f & F_PCT) s = s.replace(HOME_ENC_RE, homeSegReplace);
    }
    if (homesRe !== null && f & F_SLASH) s = s.replace(homesRe, homeReplace);
    if (namesRe !== null && namesTestRe!.test(s)) s = s.replace(namesRe, nameReplace);
    if (shortNamesRe !== null && f & F_SLASH) s = s.replace(shortNamesRe, T.user);
    if (f & F_RUN36 && f & F_HEXDASH) s = s.replace(UUID_RE, T.uuid);
    if (f & (F_IPV6 | F_HEXDASH)) s = s.replace(MAC_RE, T.mac);
    if (f & F_IPV6) s = s.replace(IPV6_RE, ipv6Replace);
    if (f & F_IPV4) s = s.replace(IPV4_RE, ipv4Replace);
    if (f & F_HEX32) s = s.replace(HEX_RE, T.hex);
    if (f & F_CARD) s = s.replace(CARD_RE, scrubDigitRun);
    if (f & F_WORD16) s = scrubTokens(s);
    return s;
  }

  /** Needs anything to be done at all? The fast path: one pass over the string, plus the names. */
  function flagsOf(s: string): number {
    const f = scan(s);
    return f === 0 && namesTestRe !== null && namesTestRe.test(s) ? F_NAME_ONLY : f;
  }

  function coreNoHome(s: string): string {
    const f = flagsOf(s);
    return f === 0 ? s : core(s, f, false, false);
  }

  function scrubUrl(s: string): string {
    const m = URL_PARTS_RE.exec(s);
    if (m === null) return coreNoHome(s); // unreachable: every string matches this pattern
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
      out += '//' + (authority === '' ? '' : coreNoHome(authority));
    }
    if (lower !== undefined && PHONE_SCHEMES.has(lower) && path !== '') out += T.redacted;
    else if (path !== '') {
      const f = flagsOf(path);
      out += f === 0 ? path : core(path, f, lower === undefined || !WEB_SCHEMES.has(lower), false);
    }
    if (query !== undefined) out += '?' + scrubQueryString(query, coreNoHome);
    if (fragment !== undefined) out += fragment === '' ? '#' : '#' + T.redacted;
    return out;
  }

  function text(s: string): string {
    const f = flagsOf(s);
    return f === 0 ? s : core(s, f, true, true);
  }

  function url(s: string): string {
    const f = flagsOf(s);
    if (f === 0) return s;
    // The common case, `https://host/a/b`: only `:` and `/`, and none of the words some rule needs.
    if ((f & ~(F_COLON | F_SLASH)) === 0 && !PHONE_URL_RE.test(s) && !KV_HINT_RE.test(s) && !HOME_HINT_RE.test(s) && !nameIn(s)) return s;
    return scrubUrl(s);
  }

  /** Could an injected name or home directory occur in s? */
  function nameIn(s: string): boolean {
    return (namesTestRe !== null && namesTestRe.test(s)) || (homesTestRe !== null && homesTestRe.test(s)) || (shortNamesTestRe !== null && shortNamesTestRe.test(s));
  }

  // Stack traces go through the same rules as text, which are frame-aware: no rule touches `:line:col`
  // (a URL found in text has its trailing `:line:col` split off before its query and fragment are
  // replaced), the e-mail rule skips Firefox frames (`fn@app.js:1:2`), the key=value rule skips
  // `file.js:12`, and function and file names lose only what the rules replace anywhere (a user name).
  // Apps repeat themselves: the same error from the same place, the same endpoints, the same model
  // names. Remembering recent answers (bounded, per scrubber) makes a repeat cost one map lookup.
  const cachedText = remember(text);
  const cachedUrl = remember(url);
  function context(ctx: Context | undefined): Context | undefined {
    if (ctx === undefined) return undefined;
    const out: Context = {};
    for (const k of Object.keys(ctx)) {
      if (k === '__proto__') continue;
      const v = ctx[k];
      if (v === undefined) continue;
      if (typeof v === 'string' || typeof v === 'number') {
        if (isSecretKey(k)) continue;
        out[k] = typeof v === 'string' ? cachedText(v) : v;
      } else out[k] = v; // boolean or null: cannot carry a secret
    }
    return out;
  }
  return { text: cachedText, url: cachedUrl, stack: cachedText, context };
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

function bearerReplace(m: string, scheme: string, ws: string, tok: string): string {
  let t = tok;
  let tail = '';
  while (t.endsWith('.')) {
    t = t.slice(0, -1);
    tail += '.';
  }
  if (t === '' || /^[a-z]{1,19}$/.test(t) || /^[A-Z][a-z]{1,19}$/.test(t)) return m; // "Bearer token missing"
  return scheme + ws + T.token + tail;
}

function cookieReplace(_m: string, k: string, sep: string, v: string): string {
  const q = v.charAt(0);
  return k + sep + (q === '"' || q === "'" ? q + T.redacted + q : T.redacted);
}

function cliReplace(m: string, dashes: string, name: string, ws: string, _value: string): string {
  return isSecretKey(name) ? dashes + name + ws + T.redacted : m;
}

function ipv4Replace(m: string): string {
  return isLoopbackV4(m) ? m : T.ip;
}

function ipv6Replace(m: string): string {
  const c = classifyIPv6(m);
  return c === 'ip' ? T.ip : m;
}
