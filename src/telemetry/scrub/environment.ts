// What the scrubber should know about the person and the machine, learned from the environment the
// app runs in: every home, profile, AppData, OneDrive and temp folder, the login, the full name
// (the GECOS field of /etc/passwd on Linux; macOS keeps it in Directory Services and Windows in its
// account database, neither readable without a child process, so there the name is learned only
// where it shows in a folder such as `OneDrive - Full Name`), and the machine's and network's names.
import { readFileSync } from 'node:fs';
import { homedir, hostname, tmpdir, userInfo } from 'node:os';
import type { ScrubberOptions } from './scrub.js';

/** Where the facts come from (the real OS by default; tests pass their own). */
export interface EnvironmentSources {
  env: Readonly<Record<string, string | undefined>>;
  homedir(): string;
  tmpdir(): string;
  hostname(): string;
  userInfo(): { username: string; homedir: string };
  /** The text of a file, or null if it cannot be read. */
  readFile(path: string): string | null;
}

export const nodeEnvironment: EnvironmentSources = {
  env: process.env,
  homedir,
  tmpdir,
  hostname,
  userInfo: () => userInfo(),
  readFile: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
};

const HOME_VARS = ['HOME', 'USERPROFILE', 'HOMESHARE'];
const USER_VARS = ['USER', 'USERNAME', 'LOGNAME'];
const PROFILE_VARS = ['APPDATA', 'LOCALAPPDATA', 'TMPDIR', 'TEMP', 'TMP', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'];
const HOST_VARS = ['COMPUTERNAME', 'HOSTNAME', 'USERDOMAIN', 'USERDNSDOMAIN', 'USERDOMAIN_ROAMINGPROFILE', 'LOGONSERVER'];
/** Names Windows gives networks that name no one. */
const GENERIC_DOMAINS = new Set(['workgroup', 'localhost', 'localdomain', 'nt authority', 'builtin']);

/** Everything the environment tells about the person and the machine, as scrubber options. */
export function learnScrubEnvironment(src: EnvironmentSources = nodeEnvironment): Required<ScrubberOptions> {
  const homes = new Set<string>();
  const users = new Set<string>();
  const fulls = new Set<string>();
  const hosts = new Set<string>();
  const profiles = new Set<string>();
  const add = (set: Set<string>, v: string | undefined | null): void => {
    const t = v?.trim();
    if (t) set.add(t);
  };
  const tryAdd = (set: Set<string>, f: () => string): void => {
    try {
      add(set, f());
    } catch {
      // an OS call that fails (no passwd entry, a sandbox) teaches nothing
    }
  };
  const env = src.env;
  for (const v of HOME_VARS) add(homes, env[v]);
  if (env.HOMEDRIVE && env.HOMEPATH) add(homes, env.HOMEDRIVE + env.HOMEPATH);
  tryAdd(homes, src.homedir);
  let info: { username: string; homedir: string } | null;
  try {
    info = src.userInfo();
  } catch {
    info = null; // os.userInfo() throws for a uid without a passwd entry (containers)
  }
  if (info !== null) {
    add(homes, info.homedir);
    add(users, info.username);
  }
  for (const v of USER_VARS) add(users, env[v]);
  for (const v of PROFILE_VARS) add(profiles, env[v]);
  for (const [k, v] of Object.entries(env)) if (/^OneDrive/i.test(k)) add(profiles, v);
  tryAdd(profiles, src.tmpdir);
  tryAdd(hosts, src.hostname);
  for (const v of HOST_VARS) {
    const h = env[v]?.replace(/^\\+/, '');
    if (h && !GENERIC_DOMAINS.has(h.toLowerCase())) add(hosts, h);
  }
  const passwd = src.readFile('/etc/passwd');
  if (passwd !== null) for (const name of gecosNames(passwd, [...users])) fulls.add(name);
  return { homeDirs: [...homes], userNames: [...users], fullNames: [...fulls], hostNames: [...hosts], profileDirs: [...profiles] };
}

/** The full name in the GECOS field (the fifth) of each login's /etc/passwd line: `Alice Wong,,,`. */
export function gecosNames(passwd: string, logins: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 7 || !logins.includes(fields[0]!)) continue;
    const name = fields[4]!.split(',')[0]!.trim();
    if (name !== '' && name.toLowerCase() !== fields[0]!.toLowerCase()) out.push(name);
  }
  return out;
}

/** The learned facts together with what the caller already knows. */
export function withLearnedEnvironment(known: ScrubberOptions = {}, src: EnvironmentSources = nodeEnvironment): Required<ScrubberOptions> {
  const learned = learnScrubEnvironment(src);
  const merge = (a: string[] | undefined, b: string[]): string[] => [...new Set([...(a ?? []), ...b])];
  return {
    homeDirs: merge(known.homeDirs, learned.homeDirs),
    userNames: merge(known.userNames, learned.userNames),
    fullNames: merge(known.fullNames, learned.fullNames),
    hostNames: merge(known.hostNames, learned.hostNames),
    profileDirs: merge(known.profileDirs, learned.profileDirs),
  };
}
