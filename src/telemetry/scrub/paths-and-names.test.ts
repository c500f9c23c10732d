import { describe, expect, it } from 'vitest';
import { createScrubber } from './scrub.js';

const each = (s: ReturnType<typeof createScrubber>, cases: [string, string][]): void => {
  for (const [input, expected] of cases) expect(s.text(input), input).toBe(expected);
};

describe('paths and names: home folders without being told', () => {
  const s = createScrubber();

  it('the standard places on Linux, macOS and Windows, in any separator and encoding', () => {
    each(s, [
      ["open '/home/kpatel/.ssh/config'", "open '/home/<user>/.ssh/config'"],
      ['/Users/kpatel/Library/Logs/MCP Client/main.log', '/Users/<user>/Library/Logs/MCP Client/main.log'],
      ['C:\\Users\\kpatel\\AppData\\Roaming\\MCP Client', 'C:\\Users\\<user>\\AppData\\Roaming\\MCP Client'],
      ['"C:\\\\Users\\\\kpatel\\\\mcp.json"', '"C:\\\\Users\\\\<user>\\\\mcp.json"'],
      ['file:///Users/kpatel/notes.md', 'file:///Users/<user>/notes.md'],
      ['path=%2Fhome%2Fkpatel%2Fdata', 'path=%2Fhome%2F<user>%2Fdata'],
    ]);
  });

  it('outside the standard places: UNC home shares, roaming profiles, WSL, /Volumes, /export/home', () => {
    each(s, [
      ['\\\\nas02\\homes\\kpatel\\Desktop\\a.txt', '\\\\<host>\\homes\\<user>\\Desktop\\a.txt'],
      ['E:\\RoamingProfiles\\kpatel\\AppData', 'E:\\RoamingProfiles\\<user>\\AppData'],
      ['/mnt/d/Users/kpatel/src/app.ts:3:9', '/mnt/d/Users/<user>/src/app.ts:3:9'],
      ["/Volumes/Kiran's SSD/Projects/mcp", '/Volumes/<user>/Projects/mcp'],
      ['/Volumes/Macintosh HD/Applications', '/Volumes/Macintosh HD/Applications'],
      ['/export/home/kpatel/.bashrc', '/export/home/<user>/.bashrc'],
    ]);
  });

  it('shared and system folders name no one and stay', () => {
    each(s, [
      ['C:\\Users\\Public\\Documents\\x.txt', 'C:\\Users\\Public\\Documents\\x.txt'],
      ['\\\\?\\C:\\Windows\\Temp\\a.log and \\\\wsl$\\Ubuntu\\etc\\hosts', '\\\\?\\C:\\Windows\\Temp\\a.log and \\\\wsl$\\Ubuntu\\etc\\hosts'],
      ['/root/app/server.js:1:1', '/root/app/server.js:1:1'],
    ]);
  });

  it('a OneDrive folder loses the name after "OneDrive - "', () => {
    each(s, [['D:\\OneDrive - Kiran Patel\\Docs\\plan.md', 'D:\\OneDrive - <user>\\Docs\\plan.md']]);
  });
});

describe('paths and names: the person', () => {
  const s = createScrubber({ userNames: ['kpatel', 'mark'], fullNames: ['Kiran Patel'] });

  it('a login that is not a word goes wherever it stands, also inside identifiers joined by _', () => {
    each(s, [['kpatel ran out of quota; kpatel_backup failed', '<user> ran out of quota; <user>_backup failed']]);
  });

  it('a login that is an ordinary word goes only where a user name can stand', () => {
    each(s, [
      ['Mark all as read', 'Mark all as read'],
      ['/srv/mark/data', '/srv/<user>/data'],
      ["owner='mark'", "owner='<user>'"],
      ['signed in as mark', 'signed in as <user>'],
      ['The user mark is shown as mark-up; replaced by mark', 'The user mark is shown as mark-up; replaced by mark'],
    ]);
  });

  it('the full name goes in every order and join; a part that is not a word goes alone too', () => {
    each(s, [
      ['Kiran Patel, Patel, Kiran, Kiran_Patel and kiran.patel', '<user>, <user>, <user> and <user>'],
      ['Patel approved', '<user> approved'],
    ]);
  });
});
