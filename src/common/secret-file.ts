import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  Stats,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** A secret's file is one that others could read, that belongs to another user, or a link. */
export class SecretFileError extends Error {}

const errno = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

// O_NOFOLLOW: the last component must not be a link (ELOOP if it is), closing the moment
// between the lstat below and the open. O_NONBLOCK: a FIFO planted there fails the checks
// instead of blocking the start. Both are 0 where the platform has no such flag.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function linkRefused(path: string): SecretFileError {
  return new SecretFileError(
    `${path} is a symbolic link: refusing to follow it (a link planted there could send a ` +
      'secret to, or take one from, a file of somebody else). Remove the link; the service ' +
      'creates the file itself.',
  );
}

/**
 * Writes a new secret file: exclusively (O_CREAT|O_EXCL, which also fails on a link, even
 * one pointing nowhere, rather than writing through it) and mode 0600 from the first byte.
 * A file or link already there is an error: EEXIST, or SecretFileError for a link.
 */
export function createSecretFile(path: string, value: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if (errno(err) === 'EEXIST' && isLink(path)) throw linkRefused(path);
    throw err;
  }
  try {
    writeSync(fd, value);
  } finally {
    closeSync(fd);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Refuses a secret's file that is not a plain file of this user's, unreadable to others. */
function checkOwnership(path: string, stat: Stats): void {
  if (!stat.isFile())
    throw new SecretFileError(`${path} is not a regular file: refusing to use it`);
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
}

/**
 * Reads a secret file after checking it: not a link (lstat, then O_NOFOLLOW), a regular
 * file of this user's, mode without any bit for group or others (checked on the open file,
 * so what is checked is what is read).
 */
export function readSecretFile(path: string): string {
  const seen = lstatSync(path);
  if (seen.isSymbolicLink()) throw linkRefused(path);
  checkOwnership(path, seen);
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (err) {
    if (errno(err) === 'ELOOP') throw linkRefused(path);
    throw err;
  }
  try {
    checkOwnership(path, fstatSync(fd));
    return readFileSync(fd, 'utf8').trim();
  } finally {
    closeSync(fd);
  }
}

/**
 * A secret kept in a file of its own (an OTP key, a database password): created on first use
 * with 32 random bytes (hex) and mode 0600, and refused when it is a link, when anyone but
 * its owner can read it, or when its owner is not the user running the service.
 */
export function readOrCreateSecretFile(path: string): { value: string; created: boolean } {
  let created = false;
  mkdirSync(dirname(path), { recursive: true });
  try {
    createSecretFile(path, randomBytes(32).toString('hex'));
    created = true;
  } catch (err) {
    if (errno(err) !== 'EEXIST') throw err;
  }
  const value = readSecretFile(path);
  if (value.length < 32) throw new SecretFileError(`${path} holds fewer than 32 characters`);
  return { value, created };
}
