// Rule family: financial and contact data. Payment cards (Luhn-checked) and their verification
// codes, IBANs (mod-97-checked), phone numbers (E.164 and national formats), e-mail addresses and
// the display names that travel with them (`"Full Name" <…>`, `Author: Full Name <…>`).
import { T } from './tokens.js';

/** Not before `:line:col` (a Firefox frame `fn@app.js:1:2`) nor before `:owner/repo` (an scp-style git remote). */
const EMAIL_RE = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+(?:@|%40)(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?![\p{L}\p{N}-])(?!:\d+:\d+)(?!:[\p{L}<~])/gu;

/** An e-mail address (also with %40 for @); a Firefox stack frame `fn@app.js:1:2` is not one. */
export function scrubEmails(s: string): string {
  return s.replace(EMAIL_RE, T.email);
}

/** The name in front of an address: `"Alice Wong" <alice@…>`, `Alice Wong <alice@…>`, and the name
 *  after a mail or commit header (`From:`, `Author:`, `Signed-off-by:` …) up to the address or line end. */
const DISPLAY_QUOTED_RE = /"[^"\r\n<>@]{1,80}"([ \t]*<[^<>\s]*(?:@|%40)[^<>\s]*>)/g;
const DISPLAY_BARE_RE = /(?<![\p{L}\p{N}_-])(?:\p{Lu}[\p{L}'’.-]*[ \t]+){1,3}\p{Lu}[\p{L}'’.-]*([ \t]*<[^<>\s]*(?:@|%40)[^<>\s]*>)/gu;
const HEADER_NAME_RE =
  /\b((?:From|To|Cc|Bcc|Reply-To|Sender|Author|Committer|Signed-off-by|Co-authored-by|Reviewed-by|Acked-by|Tested-by|Reported-by|Owner|Maintainer)[ \t]*:[ \t]*)(?!<)([^\r\n<>@,;:]{1,80}?)(?=[ \t]*(?:<(?![a-z]+>)|\r|\n|$|,|;))/gi;

export function scrubDisplayNames(s: string): string {
  let out = s.replace(DISPLAY_QUOTED_RE, (_m, addr: string) => `"${T.user}"${addr}`);
  out = out.replace(DISPLAY_BARE_RE, (_m, addr: string) => T.user + addr);
  out = out.replace(HEADER_NAME_RE, (m, pre: string, name: string, at: number, str: string) => {
    const n = name.trim();
    if (!/\p{L}/u.test(n) || n.startsWith('<') || n.startsWith('"<')) return m;
    // "author: unknown" is prose; a capitalised name, or any name before an address, is a person's
    const rest = str.slice(at + m.length).trimStart();
    const beforeAddress = rest.startsWith('<') && !/^<[a-z]+>/.test(rest);
    return beforeAddress || /\p{Lu}/u.test(n) ? pre + T.user : m;
  });
  return out;
}

// ---- payment cards --------------------------------------------------------------------------

const CARD_RE = /(?=\d)(?<![\w.+])\d+(?:[ -]\d+)*(?!\w)/g;

export function scrubCards(s: string): string {
  return s.replace(CARD_RE, scrubDigitRun);
}

/** A card verification code: after its name (`CVV 123`, `security code: 1234`), or after a card
 *  number with its expiry (`<card> 12/27 737`). One-time codes after their name go too. */
const CVV_RE =
  /\b(cvv2?|cvc2?|csc|cvn|card (?:verification|security) (?:code|value|number)|security code|verification code|one[- ]time (?:code|password)|otp|passcode|2fa code)(s?\b[ \t]*(?:is|was|:|=|#|no\.?)?[ \t]*)(\d{3,8})\b/gi;
const AFTER_CARD_RE = /(<card>[ \t,;]{1,3}(?:exp(?:iry|ires|\.)?[ \t:]*)?\d{1,2}[/-]\d{2,4}[ \t,;/]{1,3})(\d{3,4})\b/g;

export function scrubCardCodes(s: string): string {
  let out = s.replace(CVV_RE, (_m, name: string, sep: string) => name + sep + T.redacted);
  if (out.includes('<card>')) out = out.replace(AFTER_CARD_RE, (_m, pre: string) => pre + T.redacted);
  return out;
}

function luhn(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** Card shapes: one group of 13-19 digits, groups of 4 with a shorter last one, or 4-6-5 / 4-6-4. */
function cardShape(groups: string[], i: number, j: number): boolean {
  if (i === j) return true;
  const n = j - i + 1;
  if (n === 3 && groups[i]!.length === 4 && groups[i + 1]!.length === 6 && (groups[j]!.length === 5 || groups[j]!.length === 4)) return true;
  for (let k = i; k < j; k++) if (groups[k]!.length !== 4) return false;
  return groups[j]!.length >= 1 && groups[j]!.length <= 4;
}

/** Replaces the card numbers inside a run of digit groups separated by single spaces or dashes. */
function scrubDigitRun(run: string): string {
  let digitCount = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c >= 48 && c <= 57) digitCount++;
  }
  if (digitCount < 13) return run;
  const groups = run.split(/[ -]/);
  const seps = run.match(/[ -]/g) ?? [];
  const out: string[] = [];
  let i = 0;
  while (i < groups.length) {
    let found = -1;
    const first = groups[i]!.charCodeAt(0);
    if (first >= 50 && first <= 54) {
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        digits += groups[j]!;
        if (digits.length > 19) break;
        if (digits.length >= 13 && cardShape(groups, i, j) && luhn(digits)) found = j;
      }
    }
    if (found >= 0) {
      out.push(T.card);
      if (found < groups.length - 1) out.push(seps[found]!);
      i = found + 1;
    } else {
      out.push(groups[i]!);
      if (i < groups.length - 1) out.push(seps[i]!);
      i++;
    }
  }
  return out.join('');
}

// ---- IBAN ---------------------------------------------------------------------------------

const IBAN_RE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{1,4}){3,8}(?![A-Za-z0-9])/g;

/** An IBAN: country, check digits and 11-30 letters or digits, plain or in groups of four; replaced
 *  only when the mod-97 check passes (trailing groups that break it are left outside). */
export function scrubIbans(s: string): string {
  return s.replace(IBAN_RE, (m) => {
    const groups = m.split(' ');
    for (let n = groups.length; n >= 1; n--) {
      const head = groups.slice(0, n).join(' ');
      const compact = head.replace(/ /g, '');
      if (compact.length >= 15 && compact.length <= 34 && ibanValid(compact)) return T.iban + m.slice(head.length);
    }
    return m;
  });
}

function ibanValid(iban: string): boolean {
  const r = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < r.length; i++) {
    const c = r.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 55;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

// ---- phone numbers -------------------------------------------------------------------------

/** E.164 and international: `+14155552671`, `+1 (415) 555-2671`, `+44 20 7946 0958`. */
const INTL_PHONE_RE = /(?<![\w+./:@-])\+\d[\d ().-]{6,20}\d(?![\w.-]*\d|\w)/g;
/** North American: `(415) 555-2671`, `415-555-2671`, `415.555.2671`. */
const NANP_RE = /(?<![\w.+/:@-])(?:\(\d{3}\)[ .-]?|\d{3}[.-])\d{3}[.-]\d{4}(?![\w-]|\.\d)/g;
/** National with a trunk 0: `020 7946 0958`, `06 12 34 56 78`, `030 12345678`, `0171-1234567`. */
const TRUNK_PHONE_RE = /(?<![\w.+/:@-])0\d{1,4}(?:(?:[ -]\d{2,4}){2,4}|[ /-]\d{5,8})(?![\w-]|\.\d|:\d)/g;
/** After a word that says it is one: `phone: 4155552671`, `call 555 2671`. */
const NAMED_PHONE_RE = /\b((?:phone|telephone|tel|mobile|cell|fax|sms|whatsapp|call(?:ed)?|text(?:ed)?|dial(?:ed)?)(?:[ \t]*(?:no\.?|number|#))?[ \t]*[:=#]?[ \t]*)(\+?\(?\d[\d ().-]{5,18}\d)(?![\w.-]*\d)/gi;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

export function scrubPhones(s: string, plus: boolean): string {
  let out = s;
  if (plus) out = out.replace(INTL_PHONE_RE, (m) => (digitCount(m) >= 8 && digitCount(m) <= 15 && !/ {2}|--|\.\.|[.-] | {2}[.-]/.test(m) ? T.phone : m));
  out = out.replace(NANP_RE, T.phone);
  out = out.replace(TRUNK_PHONE_RE, (m) => (digitCount(m) >= 9 && digitCount(m) <= 12 ? T.phone : m));
  out = out.replace(NAMED_PHONE_RE, (m, pre: string, num: string) => (digitCount(num) >= 7 && digitCount(num) <= 15 ? pre + T.phone : m));
  return out;
}
