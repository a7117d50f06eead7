/** A query parameter's first value, trimmed (repeated parameters: the first wins). */
export function firstValue(raw: unknown): string | undefined {
  const v: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  return typeof v === 'string' ? v.trim() : undefined;
}

/** First value of a query parameter, trimmed. */
export function queryValue(query: Record<string, unknown>, name: string): string | undefined {
  return firstValue(query[name]);
}

/** Capillary's booleans as clients send them: true, "true", "1", "yes" (any case). */
export function parseBool(value: unknown): boolean {
  if (value === true) return true;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  return text === 'true' || text === '1' || text === 'yes';
}
