import { describe, expect, it } from 'vitest';
import { gecosNames, learnScrubEnvironment, netUserFullName, withLearnedEnvironment, type EnvironmentSources } from './environment.js';
import { createScrubber } from './scrub.js';

function sources(o: Partial<EnvironmentSources> & { env: Readonly<Record<string, string | undefined>> }): EnvironmentSources {
  return {
    homedir: () => o.env.HOME ?? o.env.USERPROFILE ?? '/',
    tmpdir: () => '/tmp',
    hostname: () => 'localhost',
    userInfo: () => ({ username: o.env.USER ?? o.env.USERNAME ?? 'nobody', homedir: o.env.HOME ?? o.env.USERPROFILE ?? '/' }),
    readFile: () => null,
    ...o,
  };
}

const linux = sources({
  env: { HOME: '/home/awong', USER: 'awong', XDG_CONFIG_HOME: '/home/awong/.config' },
  hostname: () => 'awong-thinkstation',
  tmpdir: () => '/tmp/awong-cache',
  readFile: (p) => (p === '/etc/passwd' ? 'root:x:0:0:root:/root:/bin/bash\nawong:x:1000:1000:Alice Wong,,,:/home/awong:/bin/bash\n' : null),
});

const macos = sources({
  env: { HOME: '/Users/bsmith', USER: 'bsmith', TMPDIR: '/var/folders/7x/k2l9qf0000gn/T/' },
  hostname: () => 'Bobs-MacBook-Air.local',
  tmpdir: () => '/var/folders/7x/k2l9qf0000gn/T',
});

const windows = sources({
  env: {
    USERPROFILE: 'D:\\Profiles\\jdoe',
    USERNAME: 'jdoe',
    HOMEDRIVE: 'H:',
    HOMEPATH: '\\',
    HOMESHARE: '\\\\fs01.corp.example.com\\home$\\jdoe',
    APPDATA: '\\\\fs01\\profiles$\\jdoe.V6\\AppData\\Roaming',
    LOCALAPPDATA: 'D:\\Profiles\\jdoe\\AppData\\Local',
    OneDriveCommercial: 'D:\\Profiles\\jdoe\\OneDrive - Jane Doe',
    TEMP: 'D:\\Profiles\\jdoe\\AppData\\Local\\Temp',
    COMPUTERNAME: 'JDOE-WS042',
    USERDOMAIN: 'CONTOSO',
    USERDNSDOMAIN: 'corp.contoso.com',
    LOGONSERVER: '\\\\DC01',
  },
  hostname: () => 'JDOE-WS042',
});

describe('learnScrubEnvironment()', () => {
  it('on Linux learns the home, the login, the full name from /etc/passwd, the host and the temp folder', () => {
    expect(learnScrubEnvironment(linux)).toEqual({
      homeDirs: ['/home/awong'],
      userNames: ['awong'],
      fullNames: ['Alice Wong'],
      hostNames: ['awong-thinkstation'],
      profileDirs: ['/home/awong/.config', '/tmp/awong-cache'],
    });
  });

  it('on Windows learns the roaming profile, the home share, AppData, OneDrive, the machine and the domain', () => {
    const o = learnScrubEnvironment(windows);
    expect(o.homeDirs).toEqual(['D:\\Profiles\\jdoe', '\\\\fs01.corp.example.com\\home$\\jdoe', 'H:\\']);
    expect(o.profileDirs).toEqual(expect.arrayContaining(['\\\\fs01\\profiles$\\jdoe.V6\\AppData\\Roaming', 'D:\\Profiles\\jdoe\\OneDrive - Jane Doe']));
    expect(o.hostNames).toEqual(['JDOE-WS042', 'CONTOSO', 'corp.contoso.com', 'DC01']);
  });

  it('an OS call that throws teaches nothing and throws nothing', () => {
    const broken = sources({ env: {}, userInfo: () => { throw new Error('no passwd entry'); }, hostname: () => { throw new Error('x'); } });
    expect(learnScrubEnvironment(broken).userNames).toEqual([]);
  });

  it('keeps what the caller already knew', () => {
    expect(withLearnedEnvironment({ userNames: ['alice'] }, linux).userNames).toEqual(['alice', 'awong']);
  });
});

const NET_USER_EN = `User name                    jdoe\r\nFull Name                    Jane Doe\r\nComment\r\nUser's comment\r\nCountry/region code          000 (System Default)\r\nAccount active               Yes\r\n`;
const NET_USER_DE = `Benutzername                         jdoe\r\nVollständiger Name                   Jane Doe-Müller\r\nBeschreibung\r\n`;

describe('the full name from the OS account database', () => {
  it('on macOS asks Directory Services (id -F) for the login, and the scrubber then replaces the name', () => {
    const calls: string[][] = [];
    const mac = sources({ ...macos, platform: 'darwin', run: (cmd, args) => (calls.push([cmd, ...args]), cmd === 'id' && args[1] === 'bsmith' ? 'Bob Smith\n' : null) });
    const learned = learnScrubEnvironment(mac);
    expect(learned.fullNames).toEqual(['Bob Smith']);
    expect(calls).toEqual([['id', '-F', 'bsmith']]);
    expect(createScrubber(learned).text('signed by Bob Smith, bob smith')).toBe('signed by <user>, <user>');
  });

  it('on Windows reads the second line of `net user <login>`, in any language', () => {
    expect(netUserFullName(NET_USER_EN)).toBe('Jane Doe');
    expect(netUserFullName(NET_USER_DE)).toBe('Jane Doe-Müller');
    expect(netUserFullName('User name                    svc\r\nFull Name\r\nComment\r\n')).toBeNull();
    expect(netUserFullName(null)).toBeNull();
    const win = sources({ ...windows, platform: 'win32', run: (cmd, args) => (cmd === 'net' && args.join(' ') === 'user jdoe' ? NET_USER_EN : null) });
    expect(learnScrubEnvironment(win).fullNames).toEqual(['Jane Doe']);
  });

  it('a command that fails, a name equal to the login, or a login that looks like an option teaches nothing', () => {
    const calls: string[][] = [];
    const odd = sources({ env: { HOME: '/Users/x', USER: '-rf' }, platform: 'darwin', run: (cmd, args) => (calls.push([cmd, ...args]), null) });
    expect(learnScrubEnvironment(odd).fullNames).toEqual([]);
    expect(calls).toEqual([]);
    const same = sources({ ...macos, platform: 'darwin', run: () => 'bsmith\n' });
    expect(learnScrubEnvironment(same).fullNames).toEqual([]);
  });
});

describe('gecosNames()', () => {
  it('reads the full name of the given logins only, not the comment of system accounts', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\nmark:x:1001:1001:Mark Twain,Room 1,555-0100:/home/mark:/bin/sh\nbob:x:1002:1002::/home/bob:/bin/sh';
    expect(gecosNames(passwd, ['root', 'mark', 'bob'])).toEqual(['Mark Twain']);
  });
});

describe('a scrubber built from the learned environment', () => {
  it('on Linux replaces the full name, the host and the temp folder named after the person', () => {
    const s = createScrubber(learnScrubEnvironment(linux));
    expect(s.text('Alice Wong <alice.wong@example.org> committed on awong-thinkstation')).toBe('<user> <<email>> committed on <host>');
    expect(s.text("EACCES: open '/tmp/awong-cache/sock'")).toBe("EACCES: open '/tmp/<user>-cache/sock'");
    expect(s.text('Wong, Alice signed in')).toBe('<user> signed in');
  });

  it('on macOS replaces the host name with and without .local, and keeps the random temp folder', () => {
    const s = createScrubber(learnScrubEnvironment(macos));
    expect(s.text('bind EADDRINUSE on Bobs-MacBook-Air.local and Bobs-MacBook-Air')).toBe('bind EADDRINUSE on <host> and <host>');
    expect(s.text('/var/folders/7x/k2l9qf0000gn/T/mcp-1/sock')).toBe('/var/folders/7x/k2l9qf0000gn/T/mcp-1/sock');
  });

  it('on Windows replaces each learned folder in every spelling: either slash, JSON-escaped, URL-encoded, file://', () => {
    const s = createScrubber(learnScrubEnvironment(windows));
    const cases: [string, string][] = [
      ['D:\\Profiles\\jdoe\\AppData\\Local\\mcp\\log.txt', 'D:\\Profiles\\<user>\\AppData\\Local\\mcp\\log.txt'],
      ['D:/Profiles/jdoe/AppData/Local/mcp/log.txt', 'D:/Profiles/<user>/AppData/Local/mcp/log.txt'],
      ['{"path":"D:\\\\Profiles\\\\jdoe\\\\notes.md"}', '{"path":"D:\\\\Profiles\\\\<user>\\\\notes.md"}'],
      ['file:///D:/Profiles/jdoe/OneDrive%20-%20Jane%20Doe/plan.docx', 'file:///D:/Profiles/<user>/OneDrive%20-%20<user>/plan.docx'],
      ['D%3A%5CProfiles%5Cjdoe%5Ca.txt', 'D%3A%5CProfiles%5C<user>%5Ca.txt'],
      ['\\\\fs01\\profiles$\\jdoe.V6\\AppData\\Roaming\\mcp.json', '\\\\<host>\\profiles$\\<user>\\AppData\\Roaming\\mcp.json'],
      ['\\\\fs01.corp.example.com\\home$\\jdoe\\x.txt', '\\\\<host>\\home$\\<user>\\x.txt'],
      ['D:\\Profiles\\jdoe\\OneDrive - Jane Doe\\plan.docx', 'D:\\Profiles\\<user>\\OneDrive - <user>\\plan.docx'],
      ['connect to JDOE-WS042 in CONTOSO (corp.contoso.com) via DC01', 'connect to <host> in <host> (<host>) via <host>'],
    ];
    for (const [input, expected] of cases) expect(s.text(input), input).toBe(expected);
  });
});
