/** What may not reach a log line in clear: customer identifiers and validation codes. */

const SENSITIVE_QUERY = new Set([
  'mobile',
  'email',
  'external_id',
  'card_number',
  'card_external_id',
  'validation_code',
  'user_group2_primary_user_identifier_value',
  // The console's customer search: any identifier, a mobile in any shape.
  'q',
]);

/** Keeps the last four characters: enough to tell customers apart in a log, no more. */
export function maskRecipient(value: string): string {
  return value.length <= 4 ? '****' : `${'*'.repeat(value.length - 4)}${value.slice(-4)}`;
}

/** A query component as the server reads it ('+' is a space), or as sent when it cannot be decoded. */
function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * A request URL for the log, with identifier and code parameters masked. Names are compared
 * as the server decodes them, so `%6Dobile` or `validation%5Fcode` are masked too.
 */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const key = pair.slice(0, eq);
      const name = decodeComponent(key).trim().toLowerCase();
      if (!SENSITIVE_QUERY.has(name)) return pair;
      const value = decodeComponent(pair.slice(eq + 1));
      return `${key}=${name === 'validation_code' ? '*'.repeat(value.length) : maskRecipient(value)}`;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/** A database URL for a message: its password masked, the rest (host, port, database) kept. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}
