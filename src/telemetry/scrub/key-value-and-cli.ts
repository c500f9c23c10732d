// Rule family: key/value and the command line. Secrets named by what stands before them:
// `password=…`, `"token": "…"`, `Authorization: …`, `Cookie: …`, `--api-key …`, `mysql -pSecret`,
// `curl -u alice:pw`, `passphrase=correct horse battery staple`, and context keys that name a secret.
import { T, TOKEN_VALUE_RE } from './tokens.js';
import { isKeyChar } from './text-scan.js';

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
  'failures', 'failed', 'ok', 'success', 'check', 'checks', 'checked', 'state',
]);
/** Key words whose value is a secret even when it reads like a plain word (`password: letmein`). */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode', 'secret', 'pin', 'otp', 'cvv', 'cvc']);

export function keyWords(key: string): string[] {
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

const COOKIE_RE = /(?<![\w-])((?:set-)?cookies?)(["']?[ \t]*[:=][ \t]*)("(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|[^\r\n]+)/gi;

/** `Cookie: a=1; b=2` and `Set-Cookie: …`: the whole value goes. */
export function scrubCookies(s: string): string {
  return /cookie/i.test(s) ? s.replace(COOKIE_RE, cookieReplace) : s;
}

function cookieReplace(_m: string, k: string, sep: string, v: string): string {
  const q = v.charAt(0);
  return k + sep + (q === '"' || q === "'" ? q + T.redacted + q : T.redacted);
}

/** key = value, key: value, "key": "value", key => value, matched where a secret word was found
 *  (KV_WORD_RE); the whole key is then checked with isSecretKey(). */
const KV_AT_RE =
  /([A-Za-z_][\w.-]{0,63})(?:\\?["'])?[ \t]*(=>|=(?!=)|:(?!:))[ \t]*("(?:[^"\\\r\n]|\\[^\r\n])*(?:"|\\?(?=[\r\n]|$))|\\"(?:[^"\\\r\n]|\\[^"\r\n])*(?:\\"|\\?(?=[\r\n]|$))|'(?:[^'\\\r\n]|\\[^\r\n])*(?:'|\\?(?=[\r\n]|$))|(?:(?:Bearer|Basic|Token|Digest)[ \t]+)?[^\s,;&'"<>()[\]{}]+)/y;
const KV_WORDS = 'pass|pwd|secret|token|key|auth|cookie|session|cred|private|sig|otp|jwt|bearer|csrf|xsrf|salt|mnemonic|cvv|cvc|ssn|pin|sid|iban|sessid';
/** Could the string hold a secret-named key at all? (one cheap test before the key/value rules) */
export const KV_HINT_RE = new RegExp(KV_WORDS, 'i');
const KV_WORD_RE = new RegExp(KV_WORDS, 'gi');

/** key=value pairs whose key is secret: found from the secret words, not by trying every `x: y`. */
export function scrubKeyValues(s: string): string {
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

const PROSE_WORD_RE = /^[A-Za-z][a-z]{0,23}$/;
const AUTH_SCHEME_RE = /^(?:Bearer|Basic|Token|Digest)$/i;

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

/** A passphrase is several words: `passphrase=correct horse battery staple` loses all of them, up to
 *  the end of the line, a `,` or `;`, or the next `key=`. Quoted values are the key/value rule's. */
const PHRASE_RE =
  /\b((?:pass[ _-]?phrase|mnemonic|seed[ _-]?phrase|seed[ _-]?words|recovery[ _-]?phrase|secret[ _-]?phrase)s?["']?[ \t]*[:=](?![ \t]*["'<])[ \t]*)([^\r\n,;)\]]+?)(?=[ \t]*(?:[,;)\]\r\n]|$|[ \t][\w.-]+[ \t]*=))/gi;

export function scrubPassphrases(s: string): string {
  return s.replace(PHRASE_RE, (_m, pre: string) => pre + T.redacted);
}

/** `--password x`, `--api-key "two words"`: the value of a secret-named long flag. */
const LONG_FLAG_RE = /(?<![\w-])(--)([A-Za-z][\w-]*)([ \t]+)("[^"\r\n]*"?|'[^'\r\n]*'?|[^\s\-<][^\s]*)/g;

export function scrubLongFlags(s: string): string {
  return s.replace(LONG_FLAG_RE, (m, dashes: string, name: string, ws: string) => (isSecretKey(name) ? dashes + name + ws + T.redacted : m));
}

/** Commands whose short flags carry a password (-p/-P glued or spaced, redis-cli -a, sqlcmd -P,
 *  sshpass -p, zip/unzip -P, keytool -storepass) or a user name (-u, -U, --user). */
const PASSWORD_CMD_RE =
  /\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mariadb(?:-dump|-admin)?|sshpass|redis-cli|mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|sqlcmd|bcp|unzip|zip|7z|7za|rar|unrar|openssl|smbclient|curl|wget|psql|pg_dump|pg_restore|lftp|ftp|htpasswd|keytool|jarsigner|pscp|plink|xfreerdp|rdesktop|net use|runas)\b/i;
/** -p / -P glued to its value: `-pS3cret`. Digits alone (`-P3306`, `-p8080:80`) are ports. */
const GLUED_P_RE = /(?<![\w-])(-[pP])([^\s"'<>]+)/g;
/** Spaced password flags: `sshpass -p x`, `redis-cli -a x`, `sqlcmd -P x`, `-storepass x`, `-pass pass:x`. */
const SPACED_PW_RE = /(?<![\w-])(-(?:p|P|a|k|pw|storepass|keypass|srcstorepass|deststorepass|passin|passout|pass|password)[ \t]+)("[^"\r\n]*"?|'[^'\r\n]*'?|[^\s\-<][^\s]*)/g;
/** `-u alice`, `-U alice`, `--user alice`, `--username=alice`, and curl's `-u alice:pw`, smbclient's `-U alice%pw`. */
const USER_FLAG_RE = /(?<![\w-])(-u|-U|--user|--username|--login|-l)([ \t]+|=|(?<=[ \t]-[uU])(?=\w))("[^"\r\n]*"|'[^'\r\n]*'|[^\s\-<"'][^\s"']*)/g;
/** Without a known command, a glued -p value is a password when it is not a word of flags
 *  (`-pthread`, `-pedantic`, `-pr`) or a port: it mixes in capitals, digits or symbols. */
const LOOSE_GLUED_P_RE = /(?<![\w-])(-p)(?=[^\s"'<>]*[A-Z0-9!@#$%^&*?~])(?![\d:]+(?![^\s"'<>]))([^\s"'<>]{4,})/g;
const PORTISH_RE = /^[\d:]+$/;
/** Options that start with -p and are not a password glued to it (`openssl -passin`, `cc -pthread`). */
const P_OPTIONS = new Set([
  'pass', 'passin', 'passout', 'password', 'port', 'pthread', 'pedantic', 'pipe', 'print', 'profile', 'project', 'package', 'path', 'pid',
  'prefix', 'proxy', 'parallel', 'progress', 'pretty', 'push', 'pull', 'publish', 'prune', 'platform', 'preset', 'protocol', 'passphrase',
]);
const OPENSSL_PASS_RE = /\bpass:([^\s"']+)/g;

export function scrubShortFlags(s: string, generic: ReadonlySet<string>): string {
  let out = s;
  if (PASSWORD_CMD_RE.test(out)) {
    out = out.replace(GLUED_P_RE, (m, flag: string, v: string) => (PORTISH_RE.test(v) || TOKEN_VALUE_RE.test(v) || P_OPTIONS.has(('p' + v).toLowerCase()) ? m : flag + T.redacted));
    out = out.replace(SPACED_PW_RE, (m, pre: string, v: string) => (TOKEN_VALUE_RE.test(v) || (pre.startsWith('-P') && PORTISH_RE.test(v)) || v.startsWith('<redacted') ? m : pre + (v.startsWith('pass:') ? 'pass:' : '') + T.redacted));
    out = out.replace(USER_FLAG_RE, (m, flag: string, sep: string, v: string) => userFlag(m, flag, sep, v, generic));
    out = out.replace(OPENSSL_PASS_RE, (m, v: string) => (TOKEN_VALUE_RE.test(v) ? m : 'pass:' + T.redacted));
  } else {
    out = out.replace(LOOSE_GLUED_P_RE, (m, flag: string, v: string) => (TOKEN_VALUE_RE.test(v) ? m : flag + T.redacted));
    out = out.replace(USER_FLAG_RE, (m, flag: string, sep: string, v: string) => (flag.startsWith('--') ? userFlag(m, flag, sep, v, generic) : m));
  }
  return out;
}

function userFlag(m: string, flag: string, sep: string, v: string, generic: ReadonlySet<string>): string {
  const q = v.charAt(0) === '"' || v.charAt(0) === "'" ? v.charAt(0) : '';
  const inner = q === '' ? v : v.slice(1, -1);
  const cut = inner.search(/[:%]/); // user:password (curl), user%password (smbclient)
  const name = cut >= 0 ? inner.slice(0, cut) : inner;
  const rest = cut >= 0 ? inner.charAt(cut) + (inner.length > cut + 1 ? T.redacted : '') : '';
  if (name.startsWith('<') || (rest === '' && generic.has(name.toLowerCase()))) return m;
  const user = generic.has(name.toLowerCase()) ? name : T.user;
  return flag + sep + q + user + rest + q;
}
