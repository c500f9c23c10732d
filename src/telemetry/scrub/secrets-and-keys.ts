// Rule family: secrets and keys. Credentials recognised by their shape, wherever they stand: PEM
// private keys, JSON Web Tokens, well-known API key formats, `Bearer`/`Basic` credentials, AWS
// secret access keys in prose, long high-entropy strings, long hex runs and UUIDs.
import { T } from './tokens.js';
import { isTokenChar } from './text-scan.js';

const PEM_RE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

export function scrubPem(s: string): string {
  return s.includes('-----BEGIN') ? s.replace(PEM_RE, T.key) : s;
}

const JWT_RE = /(?<![\w-])eyJ[\w-]{4,}\.[\w-]{4,}(?:\.[\w-]*){0,3}/g;

export function scrubJwts(s: string): string {
  return s.includes("eyJ") ? s.replace(JWT_RE, T.jwt) : s;
}

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

export function scrubBearer(s: string): string {
  return s.replace(BEARER_RE, bearerReplace);
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

/** An AWS secret access key in prose: 40 characters of base64 (with `/` and `+`, which cut it into
 *  pieces the token rule would judge one by one), mixing cases and digits. */
const AWS_SECRET_RE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

export function scrubAwsSecrets(s: string): string {
  return s.replace(AWS_SECRET_RE, (m) => (/[A-Z]/.test(m) && /[a-z]/.test(m) && /\d/.test(m) && !m.includes('//') && randomish(m.replace(/[/+]/g, '')) ? T.key : m));
}

const UUID_RE = /(?=[0-9A-Fa-f])(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])/g;
const HEX_RE = /(?=[0-9A-Fa-f])(?<![A-Za-z0-9])(?:[0-9a-f]{32,}|[0-9A-F]{32,})(?![A-Za-z0-9])/g;

export function scrubUuids(s: string): string {
  return s.replace(UUID_RE, T.uuid);
}

export function scrubHex(s: string): string {
  return s.replace(HEX_RE, T.hex);
}

const ALNUM_RUN_RE = /[A-Za-z0-9]{16,}/g;

/** Does a run of 16+ letters and digits look random rather than like a word, an identifier or a version? */
export function randomish(r: string): boolean {
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

/** A bundler's hashed chunk name is a file name, kept: `ToolCallCard-DkX9aQ2b.js:1:2231`. */
const FILE_EXT_AT_RE = /^\.(?:[cm]?[jt]sx?|css|map|wasm|node|json|html?|svg|png|woff2?|chunk)\b/;

/** Replaces high-entropy runs: a maximal run of [A-Za-z0-9_+-] of 16+ (plus `=` padding) that tokenLike(). */
export function scrubTokens(s: string): string {
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
      if (s.charCodeAt(e) !== 61 && !FILE_EXT_AT_RE.test(s.slice(e, e + 8)) && tokenLike(s.slice(i, e))) {
        out += s.slice(last, i) + T.token;
        last = e;
      }
    }
    i = j;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Well-known key formats (KEYS_RE), tried where a run of [A-Za-z0-9_-] starts with one of their first letters. */
export function scrubKeys(s: string): string {
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

