import { describe, expect, it } from 'vitest';
import { createScrubber } from './scrub.js';

const s = createScrubber({ hostNames: ['kims-mbp.local'] });
const each = (cases: [string, string][]): void => {
  for (const [input, expected] of cases) expect(s.text(input), input).toBe(expected);
};

describe('network identifiers: IP addresses', () => {
  it('four numbers with an address context are an address: a port, a scheme, @, from, connect', () => {
    each([
      ['connect ECONNREFUSED 10.1.2.3:5432', 'connect ECONNREFUSED <ip>:5432'],
      ['GET http://203.0.113.9/health failed', 'GET http://<ip>/health failed'],
      ['ssh deploy@198.51.100.4 timed out', 'ssh deploy@<ip> timed out'],
      ['Rejected request from 8.8.4.4', 'Rejected request from <ip>'],
      ['peer 100.64.1.2 reset the stream', 'peer <ip> reset the stream'],
    ]);
  });

  it('four-part versions are kept: after v, a product/, a version word or a product name, or before -suffix', () => {
    each([
      ['V8 12.4.254.21-electron.0', 'V8 12.4.254.21-electron.0'],
      ['Mozilla/5.0 Chrome/128.0.6613.186 Safari/537.36', 'Mozilla/5.0 Chrome/128.0.6613.186 Safari/537.36'],
      ['Installer v3.0.1.7 done', 'Installer v3.0.1.7 done'],
      ['OpenSSL 3.0.13.1 rejected the cipher', 'OpenSSL 3.0.13.1 rejected the cipher'],
      ['firmware 1.0.0.254', 'firmware 1.0.0.254'],
    ]);
  });

  it('a private address stays an address even after a product name', () => {
    expect(s.text('Ollama 192.168.0.20 unreachable')).toBe('Ollama <ip> unreachable');
  });

  it('loopback and IPv4-mapped loopback are kept, other mapped addresses go', () => {
    each([
      ['listen on ::1:5173 and [::1]:9229', 'listen on ::1:5173 and [::1]:9229'],
      ['::ffff:127.0.0.1:3000 ok, ::ffff:192.0.2.44:3000 refused', '::ffff:127.0.0.1:3000 ok, <ip>:3000 refused'],
      ['fd00:1234::42 and 2001:db8:85a3::8a2e:370:7334', '<ip> and <ip>'],
    ]);
  });
});

describe('network identifiers: MAC addresses in every notation', () => {
  it('colons, dashes, Cisco dots, macOS single digits, bare hex after a MAC word', () => {
    each([
      ['wlan0 b8:27:eb:12:34:56 up', 'wlan0 <mac> up'],
      ['adapter B8-27-EB-12-34-56 down', 'adapter <mac> down'],
      ['port b827.eb12.3456 flapping', 'port <mac> flapping'],
      ['arp: 8:0:27:a:1b:2 incomplete', 'arp: <mac> incomplete'],
      ['BSSID b827eb123456 lost', 'BSSID <mac> lost'],
    ]);
  });
});

describe('network identifiers: host names', () => {
  it('mDNS, LAN and corporate names go whole; public hosts and localhost stay', () => {
    each([
      ['getaddrinfo ENOTFOUND kims-ipad.local', 'getaddrinfo ENOTFOUND <host>'],
      ['Bonjour: printer.lan and nas.home.arpa unreachable', 'Bonjour: <host> and <host> unreachable'],
      ['POST https://sso.corp.initech.com/saml failed', 'POST https://<host>/saml failed'],
      ['getaddrinfo ENOTFOUND api.anthropic.com', 'getaddrinfo ENOTFOUND api.anthropic.com'],
      ['connect ECONNREFUSED localhost:11434', 'connect ECONNREFUSED localhost:11434'],
    ]);
  });

  it('a single-label name after a lookup error, or with a port after a connection error, is a machine', () => {
    each([
      ['getaddrinfo ENOTFOUND sandbox', 'getaddrinfo ENOTFOUND <host>'],
      ['connect ECONNREFUSED workbench:8080', 'connect ECONNREFUSED <host>:8080'],
      ['read ECONNRESET after 3 tries', 'read ECONNRESET after 3 tries'],
    ]);
  });

  it('the OS host name is replaced with and without its .local suffix, and machine-shaped names anywhere', () => {
    each([
      ['Handoff from kims-mbp.local to kims-mbp', 'Handoff from <host> to <host>'],
      ['AirDrop to Kims-MacBook-Air failed', 'AirDrop to <host> failed'],
      ['RDP to DESKTOP-8K3Q2ZP dropped', 'RDP to <host> dropped'],
      ['claude-desktop and my-laptop-stand are kept', 'claude-desktop and my-laptop-stand are kept'],
    ]);
  });

  it('user@host without a top-level domain: the login and the machine go, package tags and frames stay', () => {
    each([
      ['scp to kim@sandbox: denied', 'scp to <user>@<host>: denied'],
      ['install typescript@next and eslint@latest', 'install typescript@next and eslint@latest'],
      ['handleClick@main.js:10:5', 'handleClick@main.js:10:5'],
    ]);
  });
});

describe('network identifiers: repository owners', () => {
  it('the owner goes in remotes, URLs, shorthands and Pages hosts; the repository and forge pages stay', () => {
    each([
      ['git push git@gitlab.com:kim-lee/notes.git rejected', 'git push git@gitlab.com:<user>/notes.git rejected'],
      ['see https://github.com/kim-lee/mcp-config/pull/3', 'see https://github.com/<user>/mcp-config/pull/3'],
      ['npm i github:kim-lee/tool', 'npm i github:<user>/tool'],
      ['https://kim-lee.github.io/blog', 'https://<user>.github.io/blog'],
      ['https://github.com/settings/tokens', 'https://github.com/settings/tokens'],
    ]);
    expect(s.url('https://bitbucket.org/kim-lee/app/src/main')).toBe('https://bitbucket.org/<user>/app/src/main');
  });
});

describe('network identifiers: URLs', () => {
  it('keeps scheme, host, path, line and column; drops userinfo; replaces query values and the fragment', () => {
    expect(s.url('https://kim:pw@api.example.com/v1/x?a=1#f')).toBe('https://api.example.com/v1/x?a=<redacted>#<redacted>');
    expect(s.stack('    at f (https://cdn.example.com/app-Qx7Lm2Pz.js?v=9:1:99)')).toBe('    at f (https://cdn.example.com/app-Qx7Lm2Pz.js?v=<redacted>:1:99)');
  });
});
