// What the scrubber should know about the person and the machine, learned from the environment the
// app runs in: every home, profile, AppData, OneDrive and temp folder, the login, the full name
// (the GECOS field of /etc/passwd on Linux; on macOS Directory Services through `id -F`; on
// Windows the account database through `net user <login>`, and the `OneDrive - Full Name` folder
// for domain accounts it does not know), and the machine's and network's names.
import { execFileSync } from 'node:child_process';
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
  /** Which OS's account database to ask for the full name (default: none). */
  platform?: NodeJS.Platform;
  /** A command's standard output, or null if it fails or takes too long. */
  run?(command: string, args: readonly string[]): string | null;
}

/** Asking the OS for the full name happens once, at start-up: `id -F` takes a few ms; `net user`
 *  tens. Past this, the name is not learned rather than the app kept waiting. */
const RUN_TIMEOUT_MS = 1500;

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
  platform: process.platform,
  run: (command, args) => {
    try {
      return execFileSync(command, args, { encoding: 'utf8', timeout: RUN_TIMEOUT_MS, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] });
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
  for (const name of accountFullNames(src, [...users])) fulls.add(name);
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

/** Logins are names such as `jdoe` or `alice.wong`, never options or paths handed to a command. */
const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$/;

/** The full name the OS's account database holds for the login (macOS, Windows). */
export function accountFullNames(src: EnvironmentSources, logins: readonly string[]): string[] {
  const out: string[] = [];
  const keep = (name: string | null | undefined, login: string): void => {
    const n = name?.trim();
    if (n && n.toLowerCase() !== login.toLowerCase() && !out.includes(n)) out.push(n);
  };
  if (src.run === undefined) return out;
  for (const login of logins.filter((l) => LOGIN_PATTERN.test(l))) {
    if (src.platform === 'darwin') keep(src.run('id', ['-F', login])?.split('\n')[0], login);
    if (src.platform === 'win32') keep(netUserFullName(src.run('net', ['user', login])), login);
  }
  return out;
}

/** `net user <login>` prints "User name", then "Full Name" (the label in the system's language),
 *  each followed by its value after a run of spaces: the second line's value is the full name. */
export function netUserFullName(output: string | null): string | null {
  if (output === null) return null;
  const lines = output.split(/\r?\n/).filter((l) => l.trim() !== '');
  const value = lines[1]?.match(/^\S.*?\s{2,}(\S.*)$/)?.[1];
  return value === undefined ? null : value.trim();
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
