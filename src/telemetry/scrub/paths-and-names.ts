// Rule family: paths and names. Home folders in the standard places of Linux, macOS and Windows
// (any separator, JSON-escaped, URL-encoded, file:// URLs), and outside them (UNC shares, roaming
// profiles on other drives, /Volumes/<name>, WSL's /mnt/c/Users), the folders learned from the
// environment the app runs in, and the person's names: the login, the full name, `OneDrive - Name`.
import { T } from './tokens.js';
import { escapeRe, isNameCharAt } from './text-scan.js';
import { isCommonWord } from './common-words.js';

/** Account names that identify no one; not replaced as words (they are still replaced in home paths). */
export const GENERIC_NAMES: ReadonlySet<string> = new Set([
  'root', 'admin', 'administrator', 'user', 'users', 'guest', 'default', 'public', 'shared', 'home', 'test',
  'runner', 'ubuntu', 'node', 'app', 'pi', 'vagrant', 'ec2-user', 'docker', 'jenkins', 'build', 'dev',
  'developer', 'www-data', 'nobody', 'system', 'local', 'owner', 'me', 'all users', 'default user', 'git',
  'postgres', 'mysql', 'redis', 'daemon', 'service', 'localservice', 'networkservice', 'sa', 'oracle', 'deploy', 'ci',
  // our own token words, so scrubbing stays idempotent
  ...Object.keys(T),
]);

/** Home folders that belong to no one. */
const SHARED_HOME_SEGS = new Set(['shared', 'public', 'default', 'default user', 'all users', 'defaultuser0', 'guest', 'administrator', 'admin']);

const HOME_SEG =
  '(?:[^\\\\/\\s"`<>|:*?]+(?=[\\\\/])' + // one segment followed by a separator (may hold an apostrophe: O'Brien)
  '|[^\\\\/\\s"\'`<>|:*?]+(?: [^\\\\/\\s"\'`<>|:*?]+){1,2}(?=[\\\\/])' + // "John Smith\" (spaces, then a separator)
  '|[^\\\\/\\s"\'`<>|:*?,;()[\\]{}]+)'; // last segment of a path

/** The folder after a place that holds one folder per person:
 *  /home/x, /Users/x, C:\Users\x, /mnt/c/Users/x (WSL), /export/home/x, /var/mail/x,
 *  \\server\home$\x, \\server\profiles$\x, D:\Profiles\x, /Volumes/x. */
const HOME_RE = new RegExp(
  '(' +
    [
      '[\\\\/](?:home|homes|Users|export[\\\\/]+home|usr[\\\\/]+home|var[\\\\/]+(?:spool[\\\\/]+)?mail|var[\\\\/]+spool[\\\\/]+cron[\\\\/]+crontabs)[\\\\/]+',
      '[\\\\/]mnt[\\\\/]+[A-Za-z][\\\\/]+[Uu][Ss][Ee][Rr][Ss][\\\\/]+',
      '[A-Za-z]:[\\\\/]+(?:[Uu][Ss][Ee][Rr][Ss]|[Dd]ocuments and [Ss]ettings|(?:[Rr]oaming)?[Pp]rofiles\\$?|[Hh]omes?\\$?|[Uu]ser[Dd]ata)[\\\\/]+',
      '\\\\[Uu][Ss][Ee][Rr][Ss]\\\\+',
      '\\\\\\\\+[^\\\\/\\s"\'`<>|:*?]+\\\\+(?:[Hh]omes?|[Uu]sers|[Pp]rofiles|[Rr]oaming[Pp]rofiles|[Uu]ser[Dd]ata|[Rr]edirect(?:ed|ion)?|[Ff]older[Rr]edirection|[Ss]taff)\\$?\\\\+',
    ].join('|') +
    ')(' +
    HOME_SEG +
    ')',
  'g',
);
/** Could a home folder be in the string? (one cheap test before HOME_RE) */
export const HOME_HINT_RE = /home|users|profiles|volumes|userdata|redirect|staff|mail|crontabs|settings/i;
const HOME_ENC_RE = /((?:%2F|%5C)(?:home|users)(?:%2F|%5C)+)((?:(?!%2F|%5C)[^\s&"'<>/\\#?])+)/gi;
/** Volume names of the system and of installers (`/Volumes/MCP Client 1.4.0`), which name no one. */
const SYSTEM_VOLUMES = /^(?:Macintosh HD(?: - Data)?|Data|Preboot|Recovery|VM|Update|xarts|iSCPreboot|Hardware|Untitled(?: \d+)?|NO NAME|EFI|BOOTCAMP|Backup|Time Machine|Install macOS.*|.*\d+\.\d+.*|.*Installer|Google Drive|GoogleDrive)$/i;

function homeSegReplace(m: string, pre: string, seg: string): string {
  if (seg === T.user || seg.startsWith('<') || SHARED_HOME_SEGS.has(seg.toLowerCase())) return m;
  return pre + T.user;
}

/** A volume's name runs to the next `/` (it may hold spaces: `/Volumes/Alice's Passport/…`). */
const VOLUME_RE = /(\/Volumes\/)((?:[^/\r\n"'`<>|:*?]|(?<=\p{L})['’](?=\p{L}))+?)(?=\/|["`]|['’](?!\p{L})|$)/gu;

/** The owner's folder of every home-like path in s; `encoded` also looks for %2F/%5C spellings. */
export function scrubHomePaths(s: string, encoded: boolean): string {
  let out = s.replace(HOME_RE, homeSegReplace);
  if (encoded) out = out.replace(HOME_ENC_RE, homeSegReplace);
  if (out.includes('/Volumes/')) out = out.replace(VOLUME_RE, (m, pre: string, name: string) => (name.startsWith('<') || SYSTEM_VOLUMES.test(name) ? m : pre + T.user));
  return out;
}

/** `OneDrive - Alice Wong` (and `OneDrive%20-%20Alice%20Wong`): the folder names the person or company. */
const ONEDRIVE_RE = /(OneDrive(?: |%20)-(?: |%20))((?:[^\\/"'`<>|:*?\r\n%,;)\]]|%(?!2F|5C)|(?<=\p{L})['’](?=\p{L}))+)/giu;

export function scrubOneDrive(s: string): string {
  return s.includes('OneDrive') || s.includes('onedrive') ? s.replace(ONEDRIVE_RE, (m, pre: string, name: string) => (name === T.user ? m : pre + T.user)) : s;
}

/** A UNC share's server (`\\fileserver01\home$`): a machine of the person's network. Addresses are
 *  the IP rule's; the local machine's special names are kept. */
const UNC_HOST_RE = /(?<=^|[\s"'`(=,;[{])(\\\\+)([A-Za-z][A-Za-z0-9_.-]{0,62})(?=\\)/g;
const UNC_KEEP = new Set(['?', '.', 'wsl$', 'wsl.localhost', 'localhost', 'tsclient', 'sysvol']);

export function scrubUncHosts(s: string): string {
  return s.includes('\\\\') ? s.replace(UNC_HOST_RE, (m, pre: string, host: string) => (UNC_KEEP.has(host.toLowerCase()) || host.startsWith('<') ? m : pre + T.host)) : s;
}

// ---- the person's names ---------------------------------------------------------------------

/** Every spelling of a name: NFC and NFD, URL-encoded, and for a full name the other joins of its
 *  words (John%20Smith, John_Smith, john.smith, JohnSmith) and the surname first (Smith, John). */
function nameVariants(name: string): string[] {
  const out = new Set<string>();
  const words = name.split(/\s+/);
  const forms = [name];
  if (words.length > 1) {
    for (const j of ['%20', '+', '_', '.', '-', '']) forms.push(words.join(j));
    forms.push(`${words[words.length - 1]}, ${words.slice(0, -1).join(' ')}`);
  }
  for (const f of forms)
    for (const form of [f.normalize('NFC'), f.normalize('NFD')]) {
      out.add(form);
      const enc = encodeURIComponent(form);
      if (enc !== form) out.add(enc);
    }
  return [...out];
}

/** Where a user name can stand even when it is an ordinary word: a path segment, after `~`, a
 *  `user=`/`login:`/`as`/`by` word, or quoted. */
const NAME_SLOT_BEFORE =
  '(?:(?<=[\\\\/~])' + // a path segment, ~mark
  '|(?<=\\b(?:user|username|user_name|userName|login|logon|owner|author|account|uid|USER|USERNAME|LOGNAME)[ \\t]*[=:][ \\t]*["\'`]?)' + // user=mark
  '|(?<=\\b(?:logged in as|signed in as|log in as|sign in as|running as|run as|sudo -u)[ \\t]+)' + // logged in as mark
  '|(?<=["\'`]))'; // 'mark'
const NAME_SLOT_AFTER = '(?=[\\\\/"\'`\\s:,;)@]|$)';

export interface NameRules {
  /** Names replaced wherever they stand as a whole word. */
  anywhere: RegExp | null;
  /** Ordinary-word logins, replaced only where a user name can stand. */
  inSlots: RegExp | null;
  /** Names shorter than three characters, replaced only as a whole path segment. */
  short: RegExp | null;
  /** A quick test: could any of the names be in the string? */
  test: RegExp | null;
  /** The same test for a lower-cased string (no case folding at every position: faster). */
  testLower: RegExp | null;
}

/** Compiles the person's names. A full name's parts count as names too (unless ordinary words). */
export function compileNames(userNames: readonly string[], fullNames: readonly string[]): NameRules {
  const anywhere = new Set<string>();
  const inSlots = new Set<string>();
  const short = new Set<string>();
  const add = (raw: string, isFull: boolean): void => {
    const name = raw.trim();
    if (name === '' || GENERIC_NAMES.has(name.toLowerCase())) return;
    const target = name.length < 3 ? short : !isFull && /^[a-z]+$/i.test(name) && isCommonWord(name) ? inSlots : anywhere;
    for (const v of nameVariants(name)) target.add(v);
  };
  for (const n of userNames) add(n, false);
  for (const full of fullNames) {
    const name = full.split(',')[0]!.trim(); // GECOS: "Full Name,Room,Phone,..."
    if (name === '') continue;
    add(name, true);
    const parts = name.split(/\s+/);
    if (parts.length > 1) for (const p of parts) if (p.length >= 3 && !isCommonWord(p.replace(/[.'’]/g, ''))) add(p, false);
  }
  const byLength = (a: string, b: string): number => b.length - a.length;
  const alt = (set: Set<string>): string => [...set].sort(byLength).map(escapeRe).join('|');
  const all = new Set([...anywhere, ...inSlots]);
  return {
    anywhere: anywhere.size > 0 ? new RegExp(alt(anywhere), 'gi') : null,
    inSlots: inSlots.size > 0 ? new RegExp(`${NAME_SLOT_BEFORE}(?:${alt(inSlots)})${NAME_SLOT_AFTER}`, 'gi') : null,
    short: short.size > 0 ? new RegExp(`(?<=[\\\\/])(?:${alt(short)})(?=[\\\\/\\s"'\`]|$)`, 'gi') : null,
    test: all.size > 0 ? new RegExp(alt(all), 'i') : null,
    testLower: all.size > 0 ? new RegExp(alt(new Set([...all].map((n) => n.toLowerCase())))) : null,
  };
}

// Names are searched case-insensitively as plain strings; whether the hit is a whole word is
// checked around it (isNameCharAt), which is much cheaper than a Unicode look-behind at every position.
function nameReplace(m: string, at: number, str: string): string {
  return isNameCharAt(str, at - 1) || isNameCharAt(str, at + m.length) ? m : T.user;
}

/** `lower`: the string lower-cased, if the caller has it (a name absent from it is absent from s). */
export function scrubNames(s: string, rules: NameRules, slash: boolean, lower?: string): string {
  let out = s;
  if (lower !== undefined ? rules.testLower !== null && rules.testLower.test(lower) : rules.test !== null && rules.test.test(out)) {
    if (rules.anywhere !== null) out = out.replace(rules.anywhere, nameReplace);
    if (rules.inSlots !== null) out = out.replace(rules.inSlots, T.user);
  }
  if (rules.short !== null && slash) out = out.replace(rules.short, T.user);
  return out;
}

// ---- folders learned from the environment ---------------------------------------------------

const SEP = '(?:[\\\\/]|%2[Ff]|%5[Cc])+';
/** What ends a learned folder in text: a separator, the end, or a character no file name holds. */
const DIR_END = '(?=$|[\\\\/\\s"\'`<>|:*?,;()[\\]{}&#=]|%2[Ff]|%5[Cc]|%22|%3[Aa])';
/** The profile's own subfolders under which Windows keeps AppData: cut to find the home. */
const PROFILE_TAIL_RE = /[\\/]+(?:AppData[\\/]+(?:Roaming|Local|LocalLow)|Application Data|Local Settings[\\/]+Application Data|Local Settings[\\/]+Temp|AppData[\\/]+Local[\\/]+Temp)$/i;

function segmentPattern(seg: string): string {
  const forms = new Set([seg, seg.normalize('NFC'), seg.normalize('NFD')]);
  for (const f of [...forms]) forms.add(encodeURIComponent(f));
  return '(?:' + [...forms].map((f) => escapeRe(f).replace(/ /g, '(?: |%20|\\+)').replace(/^([A-Za-z]):$/, '$1(?::|%3[Aa])')).join('|') + ')';
}

export interface LearnedDir {
  /** The folder, as the environment spells it. */
  path: string;
  /** `home`: the folder is a person's (its last segment is theirs when no rule says otherwise);
   *  `profile`: AppData/OneDrive/temp, replaced where the rules find something personal in it. */
  kind: 'home' | 'profile';
}

export interface LearnedDirRule {
  re: RegExp;
  /** A pattern of its most telling segment, for a quick test before the full pattern. */
  hint: string;
  /** The replacement of each segment, by index (null: kept as written). */
  segments: (string | null)[];
}

/** Each learned folder, compiled into a pattern matching every spelling of it (either slash,
 *  doubled backslashes of JSON, %2F/%5C/%20 of URLs, file:///C:/…), with what each of its segments
 *  becomes: what the path rules make of it, or else, for a home, `<user>` for its last segment. */
export function compileLearnedDirs(dirs: readonly LearnedDir[], names: NameRules): LearnedDirRule[] {
  const rules: LearnedDirRule[] = [];
  const seen = new Set<string>();
  for (const d of dirs) {
    const segs = d.path.trim().split(/[\\/]+/);
    while (segs.length > 0 && segs[segs.length - 1] === '') segs.pop();
    const leadingUnc = /^\\\\/.test(d.path.trim());
    if (segs.length < 2) continue;
    const key = segs.join('/').toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    // with a separator after it, so its last segment reads as a folder (`John Smith\`), not as the end of a sentence
    const scrubbedPath = scrubNames(scrubOneDrive(scrubUncHosts(scrubHomePaths(d.path.trim() + '/', false))), names, true);
    const scrubbed = scrubbedPath.split(/[\\/]+/);
    while (scrubbed.length > 0 && scrubbed[scrubbed.length - 1] === '') scrubbed.pop();
    let segments: (string | null)[] = segs.map((s, i): string | null => (scrubbed.length === segs.length && scrubbed[i] !== s ? scrubbed[i]! : null));
    if (!segments.some((x) => x !== null)) {
      if (d.kind === 'home') {
        const last = segs[segs.length - 1]!;
        if (GENERIC_NAMES.has(last.toLowerCase())) continue;
        segments[segs.length - 1] = T.user;
      } else {
        const tail = PROFILE_TAIL_RE.exec(d.path.trim());
        if (tail === null) continue; // a temp or sync folder with nothing personal in it
        const homeSegs = d.path.trim().slice(0, tail.index).split(/[\\/]+/).filter((x) => x !== '').length;
        segments = segs.map((_s, i): string | null => (i === homeSegs - 1 ? T.user : null));
      }
    }
    const first = segs[0] === '' ? '' : segmentPattern(segs[0]!);
    const body = segs.slice(1).map(segmentPattern);
    const prefix = leadingUnc ? '(?:\\\\|%5[Cc]){2,4}' : segs[0] === '' ? SEP : '';
    const src = prefix + [first, ...body].filter((x, i) => i > 0 || x !== '').join(SEP) + DIR_END;
    const telling = [...segs].sort((a, b) => b.length - a.length)[0]!;
    rules.push({ re: new RegExp(src, 'gi'), hint: segmentPattern(telling), segments: segs[0] === '' ? segments.slice(1) : segments });
  }
  return rules;
}

const TOKEN_ONLY_RE = /^<[a-z]+>$/;
const SPLIT_SEP_RE = /((?:[\\/]|%2[Ff]|%5[Cc])+)/;

/** All learned folders in one pattern (one pass over the text), each its own capture group. */
export function combineLearnedDirs(rules: readonly LearnedDirRule[]): RegExp | null {
  if (rules.length === 0) return null;
  return new RegExp(rules.map((r) => `(${r.re.source})`).join('|'), 'gi');
}

/** Replaces every learned folder in s, keeping the spelling of its separators. */
export function scrubLearnedDirs(s: string, rules: readonly LearnedDirRule[], combined: RegExp, names: NameRules): string {
  return s.replace(combined, (m: string, ...groups: unknown[]) => {
    let k = 0;
    while (k < rules.length && groups[k] === undefined) k++;
    const r = rules[k];
    if (r === undefined) return m;
    const parts = m.split(SPLIT_SEP_RE);
    // parts: [lead?, seg, sep, seg, ...]; the leading separator of an absolute path gives an empty first part
    const segs: number[] = [];
    for (let i = 0; i < parts.length; i += 2) if (parts[i] !== '') segs.push(i);
    if (segs.length !== r.segments.length) return m;
    for (let j = 0; j < segs.length; j++) {
      const rep = r.segments[j];
      if (rep === null || rep === undefined) continue;
      // a token stands for the whole segment; a segment only partly replaced (`OneDrive - <user>`,
      // `<user>-cache`) gets the same rules again in its own spelling (%20 and all)
      const seg = parts[segs[j]!]!;
      const again = TOKEN_ONLY_RE.test(rep) ? rep : scrubNames(scrubOneDrive(seg), names, false);
      parts[segs[j]!] = again === seg ? rep : again;
    }
    return parts.join('');
  });
}
