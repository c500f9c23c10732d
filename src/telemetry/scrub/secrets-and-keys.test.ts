import { describe, expect, it } from 'vitest';
import { createScrubber } from './scrub.js';

const s = createScrubber();

describe('secrets and keys', () => {
  it('well-known key formats go wherever they stand', () => {
    expect(s.text('Using sk-ant-api03-Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz and ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789')).toBe('Using <key> and <key>');
    expect(s.text('AKIAIOSFODNN7EXAMPLE denied')).toBe('<key> denied');
  });

  it('an AWS secret access key in prose goes, though / and + cut it into pieces', () => {
    expect(s.text('secret 9dF3kL0pQ/2xZ8vB+7nM4cR1tY6uW5eA3sD0fG8h rejected')).toBe('secret <key> rejected');
  });

  it('a JWT, a Bearer credential and a PEM private key go', () => {
    expect(s.text('Authorization: Bearer eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl')).toBe('Authorization: Bearer <jwt>');
    expect(s.text('-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- bad')).toBe('<key> bad');
  });

  it('long random strings go; identifiers, model names and hashed chunk file names stay', () => {
    expect(s.text('session Xk9Lm2Qp7Rt4Vb8Nw3Zy expired')).toBe('session <token> expired');
    const kept = 'claude-3-5-sonnet-20241022 getElementsByClassName ToolCallCard-DkX9aQ2b.js:1:2231 vendor-Bq7xZ2kLm9.mjs';
    expect(s.text(kept)).toBe(kept);
  });

  it('UUIDs and 32+ hex digits go, short content hashes stay', () => {
    expect(s.text('chat 0190a5c4-5e2b-7c3d-9f1a-2b3c4d5e6f70 at index-3f2a9c1b.js, sha d41d8cd98f00b204e9800998ecf8427e')).toBe('chat <uuid> at index-3f2a9c1b.js, sha <hex>');
  });
});
