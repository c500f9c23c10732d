import { describe, expect, it } from 'vitest';
import { isSecretKey } from './key-value-and-cli.js';
import { createScrubber } from './scrub.js';

const s = createScrubber();
const each = (cases: [string, string][]): void => {
  for (const [input, expected] of cases) expect(s.text(input), input).toBe(expected);
};

describe('key/value and the command line', () => {
  it('the value of a secret-named key goes, quoted or not; facts about a secret stay', () => {
    each([
      ['db_password=hunter22 user=ci', 'db_password=<redacted> user=ci'],
      ['{"apiKey": "abc def"}', '{"apiKey": "<redacted>"}'],
      ['token_count=1532 auth_method=oauth', 'token_count=1532 auth_method=oauth'],
      ['cvc_check: fail, address_line1_check: pass', 'cvc_check: fail, address_line1_check: pass'],
    ]);
    expect(isSecretKey('refresh_token')).toBe(true);
    expect(isSecretKey('max_tokens')).toBe(false);
  });

  it('passwords on the command line go: glued -p, spaced -p/-a/-P, --password, curl -u user:pw', () => {
    each([
      ['mariadb -uroot -pR00tPw! shop', 'mariadb -uroot -p<redacted> shop'],
      ['sqlcmd -S db -U sa -P Str0ng!Pass', 'sqlcmd -S db -U sa -P <redacted>'],
      ['wget --password "my secret" https://x.example.com', 'wget --password <redacted> https://x.example.com'],
      ['curl --user kpatel:pw123 https://api.example.com', 'curl --user <user>:<redacted> https://api.example.com'],
      ['openssl pkcs12 -passin pass:Exp0rt! -in a.p12', 'openssl pkcs12 -passin pass:<redacted> -in a.p12'],
    ]);
  });

  it('ordinary flags and ports stay', () => {
    each([
      ['mysql -P 3306 -h db', 'mysql -P 3306 -h db'],
      ['cc -pthread -O2 -pipe x.c', 'cc -pthread -O2 -pipe x.c'],
    ]);
  });

  it('a multi-word passphrase goes whole, up to the next key', () => {
    each([['passphrase=purple monkey dishwasher retry=3', 'passphrase=<redacted> retry=3']]);
  });
});
