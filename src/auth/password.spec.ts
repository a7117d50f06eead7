import { createHash } from 'node:crypto';
import {
  DUMMY_HASH,
  hashPassword,
  md5Hex,
  passwordVerifiers,
  verifyPassword,
  wireSecret,
  wireSecretToMd5,
} from './password';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

describe('md5Hex', () => {
  it('is the lowercase MD5 hex of the UTF-8 text', () => {
    expect(md5Hex('password')).toBe('5f4dcc3b5aa765d61d8327deb882cf99');
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('pässwörd')).toBe(md5('pässwörd'));
  });
});

describe('wireSecretToMd5', () => {
  it('takes a 32-hex-digit secret as the MD5 already (lowercased)', () => {
    expect(wireSecretToMd5('5f4dcc3b5aa765d61d8327deb882cf99')).toBe(
      '5f4dcc3b5aa765d61d8327deb882cf99',
    );
    expect(wireSecretToMd5('5F4DCC3B5AA765D61D8327DEB882CF99')).toBe(
      '5f4dcc3b5aa765d61d8327deb882cf99',
    );
  });

  it('hashes anything else (a typed password) to its MD5', () => {
    expect(wireSecretToMd5('password')).toBe('5f4dcc3b5aa765d61d8327deb882cf99');
    expect(wireSecretToMd5('demo.pass')).toBe(md5('demo.pass'));
    // 31 or 33 hex digits, or a non-hex character, is not an MD5
    expect(wireSecretToMd5('5f4dcc3b5aa765d61d8327deb882cf9')).toBe(
      md5('5f4dcc3b5aa765d61d8327deb882cf9'),
    );
    expect(wireSecretToMd5('5f4dcc3b5aa765d61d8327deb882cf99a')).toBe(
      md5('5f4dcc3b5aa765d61d8327deb882cf99a'),
    );
    expect(wireSecretToMd5('5f4dcc3b5aa765d61d8327deb882cf9g')).toBe(
      md5('5f4dcc3b5aa765d61d8327deb882cf9g'),
    );
  });
});

describe('hashPassword / verifyPassword', () => {
  let stored: string;

  beforeAll(async () => {
    stored = await hashPassword('demo.pass');
  });

  it('stores a salted slow hash, not the password or its MD5', () => {
    expect(stored).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('demo.pass');
    expect(stored).not.toContain(md5('demo.pass'));
  });

  it('two hashes of the same password differ (salt)', async () => {
    expect(await hashPassword('demo.pass')).not.toBe(stored);
  });

  it('round trip: the MD5 of the password verifies', async () => {
    expect(await verifyPassword(stored, md5('demo.pass'))).toBe(true);
  });

  it('the MD5 as the wire sends it, or the plain password, verifies through wireSecretToMd5', async () => {
    expect(await verifyPassword(stored, wireSecretToMd5(md5('demo.pass')))).toBe(true);
    expect(await verifyPassword(stored, wireSecretToMd5(md5('demo.pass').toUpperCase()))).toBe(
      true,
    );
    expect(await verifyPassword(stored, wireSecretToMd5('demo.pass'))).toBe(true);
  });

  it('a wrong secret is false', async () => {
    expect(await verifyPassword(stored, md5('demo.pasS'))).toBe(false);
    expect(await verifyPassword(stored, md5(''))).toBe(false);
    // the plain password itself is not the stored secret's input
    expect(await verifyPassword(stored, 'demo.pass')).toBe(false);
  });

  it('a malformed stored hash is false, not an exception', async () => {
    expect(await verifyPassword('', md5('demo.pass'))).toBe(false);
    expect(await verifyPassword('plain:demo.pass', md5('demo.pass'))).toBe(false);
    expect(await verifyPassword('bcrypt$1$2$3$4$5', md5('demo.pass'))).toBe(false);
  });

  it('the dummy hash matches nothing', async () => {
    expect(await verifyPassword(DUMMY_HASH, md5('demo.pass'))).toBe(false);
    expect(await verifyPassword(DUMMY_HASH, md5(''))).toBe(false);
  });
});

describe('wireSecret / passwordVerifiers', () => {
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

  it('tells the forms apart: 64 hex digits SHA-256, 32 MD5, anything else a password', () => {
    expect(wireSecret(sha256('demo.pass'))).toEqual({
      form: 'sha256',
      digest: sha256('demo.pass'),
    });
    expect(wireSecret(sha256('demo.pass').toUpperCase())).toEqual({
      form: 'sha256',
      digest: sha256('demo.pass'),
    });
    expect(wireSecret(md5('demo.pass').toUpperCase())).toEqual({
      form: 'md5',
      digest: md5('demo.pass'),
    });
    expect(wireSecret('demo.pass')).toEqual({ form: 'md5', digest: md5('demo.pass') });
  });

  it('one verifier per form: each checks its own digest and not the other', async () => {
    const v = await passwordVerifiers('demo.pass');
    expect(await verifyPassword(v.md5, md5('demo.pass'))).toBe(true);
    expect(await verifyPassword(v.sha256, sha256('demo.pass'))).toBe(true);
    expect(await verifyPassword(v.sha256, md5('demo.pass'))).toBe(false);
    expect(await verifyPassword(v.md5, sha256('demo.pass'))).toBe(false);
    expect(v.sha256).not.toContain(sha256('demo.pass'));
  });
});
