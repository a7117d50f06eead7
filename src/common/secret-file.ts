import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A secret's file is one that others could read, or that belongs to another user. */
export class SecretFileError extends Error {}

/**
 * A secret kept in a file of its own (an OTP key, a database password): created on first use
 * with 32 random bytes (hex) and mode 0600, and refused when anyone but its owner can read it
 * or its owner is not the user running the service.
 */
export function readOrCreateSecretFile(path: string): { value: string; created: boolean } {
  let created = false;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stat = statSync(path);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new SecretFileError(
      `${path} belongs to user ${stat.uid}, not to the user running the service (${uid}): refusing to use it`,
    );
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8);
    throw new SecretFileError(
      `${path} can be read by others (mode ${mode}): refusing to use it; run chmod 600 ${path}`,
    );
  }
  const value = readFileSync(path, 'utf8').trim();
  if (value.length < 32) throw new SecretFileError(`${path} holds fewer than 32 characters`);
  return { value, created };
}
