import { describe, expect, it } from 'vitest';
import { createScrubber } from './scrub.js';

const s = createScrubber();
const each = (cases: [string, string][]): void => {
  for (const [input, expected] of cases) expect(s.text(input), input).toBe(expected);
};

describe('financial and contact data', () => {
  it('phone numbers in E.164 and national formats go; ids, times and counts stay', () => {
    each([
      ['SMS to +442079460958 failed', 'SMS to <phone> failed'],
      ['call +1 212 555 0199 or (212) 555-0199', 'call <phone> or <phone>'],
      ['Tel. 089 1234567 (Büro)', 'Tel. <phone> (Büro)'],
      ['took 12345678 ms at 2024-05-01 10:22:33, 3 of 4096', 'took 12345678 ms at 2024-05-01 10:22:33, 3 of 4096'],
    ]);
  });

  it('an IBAN goes when its check digits hold, plain or grouped; other codes stay', () => {
    each([
      ['refund to GB33BUKB20201555555555 failed', 'refund to <iban> failed'],
      ['IBAN DE44 5001 0517 5407 3249 31 invalid BIC', 'IBAN <iban> invalid BIC'],
      ['GB00BUKB20201555555555 is not one', 'GB00BUKB20201555555555 is not one'],
    ]);
  });

  it('a card number (Luhn) goes, with the code after it; a verification code after its name goes', () => {
    each([
      ['charge 5555 5555 5555 4444 exp 11/28 321 declined', 'charge <card> exp 11/28 <redacted> declined'],
      ['CVC 987 does not match', 'CVC <redacted> does not match'],
      ['order 4111 1111 1111 1112 shipped', 'order 4111 1111 1111 1112 shipped'],
    ]);
  });

  it('e-mail addresses go, and the display name in front of one', () => {
    each([
      ['To: "Kiran Patel" <kiran@example.in>', 'To: "<user>" <<email>>'],
      ['Author: Zoë Martin <zoe@example.fr>', 'Author: <user> <<email>>'],
      ['bounce from ops-team@example.com', 'bounce from <email>'],
    ]);
  });
});
