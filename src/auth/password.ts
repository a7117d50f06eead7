import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt cost: about 50 ms a verification on a small server; the credential cache means a
// till pays it once per TTL, not per request.
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scryptAsync(
  secret: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * Capillary clients send MD5(password) as the Basic secret; people type the password. A
 * 32-hex-digit secret is taken as the MD5 form, anything else is hashed to it first.
 */
export function wireSecretToMd5(secret: string): string {
  return /^[0-9a-fA-F]{32}$/.test(secret) ? secret.toLowerCase() : md5Hex(secret);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The forms a Basic secret arrives in, and the digest each is checked as. */
export type SecretForm = 'md5' | 'sha256';

/**
 * Which verifier a Basic secret is checked against: 32 hex digits are the MD5 form
 * (Capillary's clients), 64 the SHA-256 form (another client family), anything else is a
 * password as typed, checked in its MD5 form.
 */
export function wireSecret(secret: string): { form: SecretForm; digest: string } {
  if (/^[0-9a-fA-F]{64}$/.test(secret)) return { form: 'sha256', digest: secret.toLowerCase() };
  return { form: 'md5', digest: wireSecretToMd5(secret) };
}

async function scryptOf(digest: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(digest, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Stored form: scrypt of the MD5 hex, `scrypt$N$r$p$salt$hash` (base64). */
export function hashPassword(plain: string): Promise<string> {
  return scryptOf(md5Hex(plain));
}

/** One slow verifier per accepted form, derived from the password when it is set. */
export async function passwordVerifiers(plain: string): Promise<Record<SecretForm, string>> {
  const [md5, sha256] = await Promise.all([hashPassword(plain), scryptOf(sha256Hex(plain))]);
  return { md5, sha256 };
}

export async function verifyPassword(stored: string, md5hex: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map((x) => Number.parseInt(x, 10));
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  const actual = await scryptAsync(md5hex, salt, n, r, p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Verified against when the user does not exist, so both failures cost the same. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
