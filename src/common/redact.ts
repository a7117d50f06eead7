/** What may not reach a log line in clear: customer identifiers and validation codes. */

const SENSITIVE_QUERY = new Set([
  'mobile',
  'email',
  'external_id',
  'card_number',
  'card_external_id',
  'validation_code',
  'user_group2_primary_user_identifier_value',
]);

/** Keeps the last four characters: enough to tell customers apart in a log, no more. */
export function maskRecipient(value: string): string {
  return value.length <= 4 ? '****' : `${'*'.repeat(value.length - 4)}${value.slice(-4)}`;
}

/** Codes look like this in a message. */
const CODE_TOKEN = /\b[A-Z0-9]{4,12}\b/g;

export function maskCodes(text: string): string {
  return text.replace(CODE_TOKEN, (t) => '*'.repeat(t.length));
}

/** A request URL for the log, with identifier and code parameters masked. */
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
      let value: string;
      try {
        value = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
      } catch {
        value = pair.slice(eq + 1);
      }
      return SENSITIVE_QUERY.has(key.toLowerCase())
        ? `${key}=${key === 'validation_code' ? '*'.repeat(value.length) : maskRecipient(value)}`
        : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}
