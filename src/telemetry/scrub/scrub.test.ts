import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Context } from '../event/schema.js';
import { SCRUB_TOKENS, createScrubber, isSecretKey, type Scrubber, type ScrubberOptions } from './scrub.js';

type Kind = 'error_message' | 'stack_trace' | 'url' | 'context';
interface Entry {
  kind: Kind;
  os?: 'linux' | 'macos' | 'windows';
  /** The class of issue 12 the entry covers (leaks and over-redactions). */
  class?: string;
  note: string;
  input: string | Context;
  expected: string | Context;
  /** What must disappear. */
  secrets?: string[];
  /** What must stay. */
  keep: string[];
}
interface Corpus {
  options: ScrubberOptions;
  entries: Entry[];
}

const corpus = JSON.parse(readFileSync(new URL('./corpus.json', import.meta.url), 'utf8')) as Corpus;
const scrubber = createScrubber(corpus.options);

function apply(s: Scrubber, kind: Kind, input: string | Context): string | Context | undefined {
  switch (kind) {
    case 'error_message':
      return s.text(input as string);
    case 'stack_trace':
      return s.stack(input as string);
    case 'url':
      return s.url(input as string);
    case 'context':
      return s.context(input as Context);
  }
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const title = (e: Entry): string => `${e.kind}${e.os ? ` (${e.os})` : ''}: ${e.note}`;

describe('the corpus', () => {
  it('holds at least 600 strings covering every kind, and every class of issue 12 on Linux, macOS and Windows', () => {
    expect(corpus.entries.length).toBeGreaterThanOrEqual(600);
    const kinds = new Set(corpus.entries.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['context', 'error_message', 'stack_trace', 'url']);
    const classes = [
      'host', 'home', 'person', 'phone', 'iban', 'forge', 'mac', 'ip', 'user_at_host', 'cli', 'passphrase', 'aws', 'cvv',
      'version', 'chunk', 'loopback', 'common_word', 'developer',
    ];
    for (const c of classes) {
      const oses = new Set(corpus.entries.filter((e) => e.class === c).map((e) => e.os));
      expect([...oses].sort(), c).toEqual(['linux', 'macos', 'windows']);
    }
    // negative cases: inputs that must come out unchanged
    expect(corpus.entries.filter((e) => show(e.input) === show(e.expected)).length).toBeGreaterThanOrEqual(100);
    // every entry says what must stay, and every entry that changes says what must go
    expect(corpus.entries.filter((e) => e.keep.length === 0).map((e) => e.note)).toEqual([]);
    expect(corpus.entries.filter((e) => show(e.input) !== show(e.expected) && (e.secrets ?? []).length === 0).map((e) => e.note)).toEqual([]);
  });

  it('over-redaction: what must stay stays in every entry (at most 1% may lose something; none does)', () => {
    const lost = corpus.entries.filter((e) => {
      const out = show(apply(scrubber, e.kind, e.input));
      return e.keep.some((k) => !out.includes(k));
    });
    expect(lost.length / corpus.entries.length).toBeLessThanOrEqual(0.01);
    expect(lost.map(title)).toEqual([]);
  });

  describe('every entry scrubs to exactly its reviewed output', () => {
    it.each(corpus.entries.map((e) => [title(e), e] as const))('%s', (_title, e) => {
      expect(apply(scrubber, e.kind, e.input)).toEqual(e.expected);
    });
  });

  it('no listed secret of any entry survives scrubbing (zero leaks)', () => {
    const leaks: string[] = [];
    let checked = 0;
    for (const e of corpus.entries) {
      const out = show(apply(scrubber, e.kind, e.input)).toLowerCase();
      for (const secret of e.secrets ?? []) {
        checked++;
        if (out.includes(secret.toLowerCase())) leaks.push(`${title(e)}: "${secret}"`);
      }
    }
    expect(checked).toBeGreaterThan(600);
    expect(leaks).toEqual([]);
  });

  it('scrubbing an output a second time changes nothing (idempotence)', () => {
    const unstable: string[] = [];
    for (const e of corpus.entries) {
      const once = apply(scrubber, e.kind, e.input)!;
      const twice = apply(scrubber, e.kind, once);
      if (show(twice) !== show(once)) unstable.push(`${title(e)}: ${show(once)} -> ${show(twice)}`);
    }
    expect(unstable).toEqual([]);
  });

  it('a stack trace keeps the line and column of every frame', () => {
    const positions = (s: string): string[] => s.match(/:\d+:\d+(?=\)|$|\n)/gm) ?? [];
    for (const e of corpus.entries.filter((x) => x.kind === 'stack_trace')) {
      expect(positions(scrubber.stack(e.input as string)), title(e)).toEqual(positions(e.input as string));
    }
  });
});

describe('text()', () => {
  const s = createScrubber({ homeDirs: ['/home/alice'], userNames: ['alice'] });

  it('an e-mail address in an error message is replaced, the rest of the message is kept', () => {
    expect(s.text('Invite failed for carol.jones@example.org: mailbox full')).toBe('Invite failed for <email>: mailbox full');
  });

  it('a short label is returned unchanged and as the very same string', () => {
    for (const label of ['gpt-4o', 'anthropic', 'ok', 'claude-3-5-sonnet-20241022', 'read_file', '']) expect(s.text(label)).toBe(label);
  });

  it('a home directory keeps the rest of its path, line and column', () => {
    expect(s.text('/home/alice/app/src/x.ts:10:5')).toBe('/home/<user>/app/src/x.ts:10:5');
    expect(s.text('C:\\Users\\bob\\app\\x.ts:10:5')).toBe('C:\\Users\\<user>\\app\\x.ts:10:5');
    expect(s.text('/Users/bob/app/x.ts:10:5')).toBe('/Users/<user>/app/x.ts:10:5');
  });

  it('a scrubber without options still replaces home directories but no bare names', () => {
    const plain = createScrubber();
    expect(plain.text("open '/home/dave/notes.md' for dave")).toBe("open '/home/<user>/notes.md' for dave");
  });

  it('an injected home directory outside the usual places is replaced in either separator style', () => {
    const custom = createScrubber({ homeDirs: ['E:\\Staff\\mwong'] });
    expect(custom.text('E:\\Staff\\mwong\\docs\\a.txt and E:/Staff/mwong/b.txt')).toBe('E:\\Staff\\<user>\\docs\\a.txt and E:/Staff/<user>/b.txt');
  });

  it('a generic account name such as root is never replaced as a word', () => {
    const root = createScrubber({ homeDirs: ['/root'], userNames: ['root', 'admin'] });
    expect(root.text('root cause: admin panel failed in /root/app')).toBe('root cause: admin panel failed in /root/app');
  });

  it('a user name shorter than three characters is replaced only as a whole path segment', () => {
    const short = createScrubber({ userNames: ['al'] });
    expect(short.text('al is here, all good, /data/al/x and /data/alpha')).toBe('al is here, all good, /data/<user>/x and /data/alpha');
  });

  it('loopback and unspecified addresses are kept, every other address is replaced', () => {
    expect(s.text('127.0.0.1 0.0.0.0 ::1 [::] 10.0.0.1 192.168.1.1 8.8.8.8 fe80::1 2001:db8::2')).toBe('127.0.0.1 0.0.0.0 ::1 [::] <ip> <ip> <ip> <ip> <ip>');
  });

  it('version numbers, times and C++ or Rust paths are not taken for addresses', () => {
    const input = 'v1.2.3 45.5.0 12:30:45 std::vector Error::new a::b 10.0.22631.3007';
    expect(s.text(input)).toBe(input);
  });

  it('a card number is replaced only when it passes the Luhn check', () => {
    expect(s.text('4111 1111 1111 1111 / 4111 1111 1111 1112')).toBe('<card> / 4111 1111 1111 1112');
  });

  it('every UUID is replaced, because in an error message it usually names someone\'s record', () => {
    expect(s.text('chat 123e4567-e89b-12d3-a456-426614174000 missing')).toBe('chat <uuid> missing');
  });

  it('the tokens the scrubber writes are themselves left alone', () => {
    const all = Object.values(SCRUB_TOKENS).join(' ');
    expect(s.text(all)).toBe(all);
    expect(Object.values(SCRUB_TOKENS).every((t) => /^<[a-z]+>$/.test(t))).toBe(true);
  });

  it('stack() treats a stack like text() and keeps function names', () => {
    const st = 'Error: x\n    at loadCache (/home/alice/app/src/cache.ts:10:5)\n    at async main (file:///home/alice/app/dist/index.mjs:42:3)';
    expect(s.stack(st)).toBe('Error: x\n    at loadCache (/home/<user>/app/src/cache.ts:10:5)\n    at async main (file:///home/<user>/app/dist/index.mjs:42:3)');
  });
});

describe('url()', () => {
  const s = createScrubber();

  it('keeps scheme, host and path, drops userinfo and replaces every query value and the fragment', () => {
    expect(s.url('https://bob:pw@api.example.com:8443/v1/a?x=1&y=&z#frag')).toBe('https://api.example.com:8443/v1/a?x=<redacted>&y=&z#<redacted>');
  });

  it('returns an ordinary API URL unchanged', () => {
    const u = 'https://api.anthropic.com/v1/messages';
    expect(s.url(u)).toBe(u);
  });

  it('is never less careful than text() on something that is not a URL', () => {
    expect(s.url('not a url, mail dave@example.com')).toBe('not a url, mail <email>');
  });
});

describe('context()', () => {
  const s = createScrubber({ userNames: ['alice'] });

  it('drops secret-named keys, keeps harmless ones and scrubs string values with text()', () => {
    expect(s.context({ model: 'gpt-4o', api_key: 'x', keyboard_layout: 'de', note: 'from alice', max_tokens: 100 })).toEqual({
      model: 'gpt-4o',
      keyboard_layout: 'de',
      note: 'from <user>',
      max_tokens: 100,
    });
  });

  it('keeps booleans and nulls under a secret-named key, since they cannot carry a secret', () => {
    expect(s.context({ token: true, password: null, pin: 1234 })).toEqual({ token: true, password: null });
  });

  it('returns a new object, never the one the caller may still change', () => {
    const ctx = { provider: 'openai' };
    const out = s.context(ctx);
    expect(out).toEqual(ctx);
    expect(out).not.toBe(ctx);
  });

  it('passes undefined through', () => {
    expect(s.context(undefined)).toBeUndefined();
  });
});

describe('isSecretKey()', () => {
  // The rule: split the key into words on _ . - and camelCase; secret when a word is a secret word (or
  // ends with one glued on), unless the last word is a qualifier that makes it a fact about the secret.
  it.each([
    'password', 'passwd', 'pwd', 'db_pass', 'secret', 'client_secret', 'token', 'access_token', 'accessToken', 'refreshToken',
    'auth', 'authorization', 'auth.header', 'cookie', 'set_cookie', 'credentials', 'key', 'api_key', 'apiKey', 'apikey',
    'APIKey', 'OPENAI_API_KEY', 'private_key', 'privateKey', 'session_token', 'sessionId', 'session_id', 'sid', 'csrf',
    'xsrftoken', 'dbpassword', 'pin', 'otp', 'signature', 'jwt', 'mnemonic', 'cvv',
  ])('%s is secret', (k) => {
    expect(isSecretKey(k)).toBe(true);
  });

  it.each([
    'keyboard_layout', 'keyboardLayout', 'max_tokens', 'input_tokens', 'tokens', 'tokenizer', 'author', 'authored_by',
    'monkey', 'hotkey', 'passive', 'bypass_cache', 'compass', 'token_count', 'password_length', 'auth_method', 'auth_type',
    'api_key_present', 'key_type', 'session_count', 'session_duration_ms', 'model', 'provider', 'outcome',
  ])('%s is not secret', (k) => {
    expect(isSecretKey(k)).toBe(false);
  });
});

describe('properties', () => {
  const s = createScrubber({ homeDirs: ['/home/alice', 'C:\\Users\\John Smith'], userNames: ['alice', 'John Smith'] });
  const plain = createScrubber();
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const alnum = lower + '0123456789';
  const str = (chars: string, minLength: number, maxLength: number): fc.Arbitrary<string> =>
    fc.string({ unit: fc.constantFrom(...chars), minLength, maxLength });

  const email = fc
    .tuple(
      str(alnum + '._+-', 1, 16).filter((l) => /^[a-z0-9]/.test(l) && !l.endsWith('.')),
      fc.array(str(alnum, 1, 10), { minLength: 1, maxLength: 3 }),
      str(lower, 2, 6),
    )
    .map(([local, labels, tld]) => `${local}@${labels.join('.')}.${tld}`);
  // an address where it reads as one (four bare numbers after a version word are a version: kept)
  const ipv4 = fc
    .tuple(fc.constantFrom('', 'from ', 'connect ', 'host=', '//', 'peer '), fc.ipV4().filter((ip) => !ip.startsWith('127.') && ip !== '0.0.0.0' && ip !== '255.255.255.255'), fc.constantFrom('', ':5432', ':443'))
    .map(([pre, ip, port]) => (pre === '' && port === '' ? ip + ':8080' : pre + ip + port));
  const card = fc.tuple(fc.constantFrom('2', '3', '4', '5', '6'), str('0123456789', 14, 14), fc.constantFrom('', ' ', '-')).map(([first, rest, sep]) => {
    const body = first + rest;
    let sum = 0;
    for (let i = 0; i < body.length; i++) {
      let d = Number(body[body.length - 1 - i]);
      if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    const digits = body + String((10 - (sum % 10)) % 10);
    return sep === '' ? digits : digits.match(/.{4}/g)!.join(sep);
  });
  const skKey = fc
    .tuple(fc.constantFrom('sk-', 'sk-proj-', 'sk-ant-api03-'), str(alnum + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_-', 20, 60))
    .map(([prefix, body]) => prefix + body);
  const separator = fc.constantFrom(' ', ', ', ' (', ') ', '"', "'", '\n', ': ', '=', '<', '>', '[', ']', '\t', '; ');
  const noise = fc.string({ maxLength: 40 });

  it.each([
    ['an e-mail address', email],
    ['an IPv4 address', ipv4],
    ['a Luhn-valid card number', card],
    ['an sk- API key', skKey],
  ] as const)('%s embedded in random text never leaks, and the output is stable', (_name, secret) => {
    fc.assert(
      fc.property(noise, separator, secret, separator, noise, (before, sep1, value, sep2, after) => {
        const input = before + sep1 + value + sep2 + after;
        for (const sc of [s, plain]) {
          const out = sc.text(input);
          expect(out).not.toContain(value);
          expect(sc.text(out)).toBe(out);
          expect(sc.url(input)).not.toContain(value);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('text(), url() and stack() are idempotent on messages built from sensitive pieces', () => {
    const piece = fc.constantFrom(
      'http://', 'https://x.io/', 'file:///', '/home/', 'C:\\Users\\', '::', 'token=', 'password: ', 'Bearer ', 'alice', 'John Smith',
      '10.0.0.1', 'fe80::1', '4242 4242 4242 4242', 'a@b.co', '%40', '?q=1', '#f', 'eyJabcd.eyJefgh.sig', 'sk-', 'AKIA',
      '0190a5c4-5e2b-7c3d-9f1a-2b3c4d5e6f70', '--', ':', '/', 'x',
    );
    const glue = fc.constantFrom(' ', ', ', ' (', ') ', '"', "'", ': ', '\n', '=', '/');
    const message = fc.array(fc.tuple(piece, glue), { maxLength: 12 }).map((parts) => parts.map(([p, g]) => p + g).join(''));
    fc.assert(
      fc.property(message, (m) => {
        for (const fn of [s.text, s.url, s.stack]) {
          const once = fn(m);
          expect(fn(once)).toBe(once);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
