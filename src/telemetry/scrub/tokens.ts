// The tokens the scrubber writes in place of what it removes. Each is `<word>`: short, readable,
// and never itself matched by a rule, so scrubbing is idempotent.
export const SCRUB_TOKENS = {
  /** A user name, a person's full name, a home folder's owner, a repository owner's handle. */
  user: '<user>',
  /** A machine's name: the OS host name, mDNS/LAN names (*.local, *.lan), corporate hosts. */
  host: '<host>',
  email: '<email>',
  phone: '<phone>',
  ip: '<ip>',
  mac: '<mac>',
  uuid: '<uuid>',
  hex: '<hex>',
  card: '<card>',
  iban: '<iban>',
  jwt: '<jwt>',
  key: '<key>',
  token: '<token>',
  redacted: '<redacted>',
} as const;

export const T = SCRUB_TOKENS;

/** `<user>`, `<ip>`, ...: a value that is already a token is never replaced again. */
export const TOKEN_VALUE_RE = /^(["']?)<[a-z]+>\1$/;
