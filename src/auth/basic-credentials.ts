/** A Basic credential as sent: the username and the secret (a password or a hash of it). */
export interface BasicCredentials {
  username: string;
  secret: string;
}

/** No Authorization header; or one that is not a usable Basic credential. */
export type UnusableAuthorization = 'absent' | 'malformed';

const BASIC = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/**
 * The one parse of an Authorization header, for every request: the scheme is exactly
 * `Basic` (any case), then base64 of `username:secret`, split at the first colon, because a
 * password may hold colons and a username may not. Both parts must be non-empty.
 */
export function parseBasicAuthorization(
  header: string | undefined,
): BasicCredentials | UnusableAuthorization {
  if (header === undefined || header.trim() === '') return 'absent';
  const match = BASIC.exec(header.trim());
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return 'malformed';
  const username = decoded.slice(0, colon);
  // A username is looked up in the database: control characters (NUL) name nobody.
  for (let i = 0; i < username.length; i++) {
    const c = username.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return 'malformed';
  }
  return { username, secret: decoded.slice(colon + 1) };
}
