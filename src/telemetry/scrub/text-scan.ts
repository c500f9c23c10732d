// The fast path: one pass over a string sets a flag for each kind of thing some rule looks for, so
// the pipeline runs a rule only when it could match, and a plain label (`gpt-4o`, `read_file`) is
// returned as is. Also the character classes the rule families share.

// One pass over the string sets these flags; each rule runs only when its flag is set, and a string
// with no flag (and no injected name) is returned as is: that is the fast path for short labels.
export const F_AT = 1 << 0; // @ or %40
export const F_COLON = 1 << 1;
export const F_EQ = 1 << 2;
export const F_QMARK = 1 << 3;
export const F_SLASH = 1 << 4; // / or \
export const F_PCT = 1 << 5;
export const F_DDASH = 1 << 6; // --
export const F_WORD16 = 1 << 7; // 16+ letters/digits in a row, or a [\w+-] run of 16+ with both cases
export const F_RUN36 = 1 << 8; // a [\w+-] run of 36+ (a UUID fits)
export const F_IPV4 = 1 << 9; // a run of digits and 3+ dots
export const F_CARD = 1 << 10; // a run of digits, spaces and dashes with 13+ digits
export const F_HEXDASH = 1 << 11; // a run of hex digits and dashes of 17+ (MAC aa-bb-.., UUID)
export const F_IPV6 = 1 << 12; // "::" or a run of hex digits and 5+ colons (IPv6, MAC aa:bb:..)
export const F_HEX32 = 1 << 13; // 32+ hex digits in a row
export const F_AUTH = 1 << 14; // bearer / basic
export const F_STARS = 1 << 15; // **** (a masked key)
export const F_HASH = 1 << 16; // a URL fragment
export const F_PLUS = 1 << 17; // + before a digit (E.164 phone numbers)
export const F_PHONE = 1 << 18; // 7+ digits in a run of digits, spaces, dots, dashes and parentheses
export const F_SHORTFLAG = 1 << 19; // ` -x`: a short command-line flag
export const F_B64_40 = 1 << 20; // 40+ letters, digits, / and + in a row (an AWS secret key)
export const F_HEXDOT = 1 << 21; // hhhh.hhhh. (a MAC address in Cisco's notation)
/** No feature, but an injected name occurs: only the name rule runs. */
export const F_NAME_ONLY = 1 << 30;

export function startsWithCi(s: string, at: number, lower: string): boolean {
  if (at + lower.length > s.length) return false;
  for (let k = 0; k < lower.length; k++) if ((s.charCodeAt(at + k) | 32) !== lower.charCodeAt(k)) return false;
  return true;
}

export function scan(s: string): number {
  let f = 0;
  let word = 0;
  let alnum = 0;
  let hex = 0;
  let hexDash = 0;
  let colons = 0;
  let dots = 0;
  let cardDigits = 0;
  let stars = 0;
  let phone = 0;
  let b64 = 0;
  let hexDots = 0;
  let up = false;
  let lo = false;
  let prev = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      // a-z, by far the most common: the same bookkeeping as below, specialised
      alnum++;
      if (++b64 >= 40) f |= F_B64_40;
      word++;
      lo = true;
      dots = 0;
      cardDigits = 0;
      stars = 0;
      phone = 0;
      if (c <= 102) {
        if (++hex >= 32) f |= F_HEX32;
        if (++hexDash >= 17) f |= F_HEXDASH;
        if (c === 98 && (startsWithCi(s, i + 1, 'earer') || startsWithCi(s, i + 1, 'asic'))) f |= F_AUTH;
      } else {
        hex = 0;
        hexDash = 0;
        colons = 0;
      }
      if (alnum >= 16 || (word >= 16 && up)) f |= F_WORD16;
      if (word >= 36) f |= F_RUN36;
      prev = c;
      continue;
    }
    const lc = c | 32;
    const digit = c >= 48 && c <= 57;
    if (digit || (lc >= 97 && lc <= 122)) {
      alnum++;
      if (++b64 >= 40) f |= F_B64_40;
      word++;
      if (!digit) {
        if (c >= 97) lo = true;
        else up = true;
        dots = 0;
        cardDigits = 0;
        if (lc === 98 && (startsWithCi(s, i + 1, 'earer') || startsWithCi(s, i + 1, 'asic'))) f |= F_AUTH;
      } else {
        if (++cardDigits >= 13) f |= F_CARD;
        if (++phone >= 7) f |= F_PHONE;
      }
      if (!digit) phone = 0;
      if (digit || lc <= 102) {
        if (++hex >= 32) f |= F_HEX32;
        if (++hexDash >= 17) f |= F_HEXDASH;
      } else {
        hex = 0;
        hexDash = 0;
        colons = 0;
      }
      if (alnum >= 16 || (word >= 16 && up && lo)) f |= F_WORD16;
      if (word >= 36) f |= F_RUN36;
      stars = 0;
    } else {
      alnum = 0;
      if (c === 47 || c === 43) {
        if (++b64 >= 40) f |= F_B64_40;
      } else b64 = 0;
      if (c === 46) {
        hexDots = hex === 4 ? hexDots + 1 : 0;
        if (hexDots >= 2) f |= F_HEXDOT;
      } else hexDots = 0;
      hex = 0;
      if (c === 45 || c === 95 || c === 43) {
        // - _ +
        if (++word >= 36) f |= F_RUN36;
        if (word >= 16 && up && lo) f |= F_WORD16;
      } else {
        word = 0;
        up = false;
        lo = false;
      }
      if (c === 45) {
        if (++hexDash >= 17) f |= F_HEXDASH;
        if (prev === 45) f |= F_DDASH;
      } else hexDash = 0;
      if (c === 58) {
        f |= F_COLON;
        if (prev === 58 || ++colons >= 5) f |= F_IPV6;
      } else colons = 0;
      if (c === 46) {
        if (++dots >= 3) f |= F_IPV4;
      } else dots = 0;
      if (c !== 32 && c !== 45) cardDigits = 0;
      if (c !== 32 && c !== 45 && c !== 46 && c !== 40 && c !== 41) phone = 0;
      if (c === 43) {
        const d = s.charCodeAt(i + 1);
        if (d >= 48 && d <= 57) f |= F_PLUS;
      } else if (c === 45 && prev === 32) {
        const d = s.charCodeAt(i + 1) | 32;
        if (d >= 97 && d <= 122) f |= F_SHORTFLAG;
      }
      if (c === 42) {
        if (++stars >= 4) f |= F_STARS;
      } else stars = 0;
      if (c === 64) f |= F_AT;
      else if (c === 37) {
        f |= F_PCT;
        if (s.charCodeAt(i + 1) === 52 && s.charCodeAt(i + 2) === 48) f |= F_AT;
      } else if (c === 61) f |= F_EQ;
      else if (c === 63) f |= F_QMARK;
      else if (c === 35) f |= F_HASH;
      else if (c === 47 || c === 92) f |= F_SLASH;
    }
    prev = c;
  }
  return f;
}


export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** [A-Za-z0-9+.-] */
export function isSchemeChar(c: number): boolean {
  const lc = c | 32;
  return (c >= 48 && c <= 57) || (lc >= 97 && lc <= 122) || c === 43 || c === 46 || c === 45;
}

/** [A-Za-z0-9_+-] */
export function isTokenChar(c: number): boolean {
  const lc = c | 32;
  return (c >= 48 && c <= 57) || (lc >= 97 && lc <= 122) || c === 95 || c === 43 || c === 45;
}

/** [A-Za-z0-9_.-] */
export function isKeyChar(c: number): boolean {
  return isSchemeChar(c) ? c !== 43 : c === 95;
}

/** Letters and digits in any script: what continues a name (`_` separates words: alice_notes). */
export function isNameCharAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
  return /[\p{L}\p{N}\p{M}]/u.test(s.charAt(i));
}
