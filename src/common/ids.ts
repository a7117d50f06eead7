/**
 * Largest id a request may name: ids are bigint in the database and numbers here, so the
 * largest a number holds exactly (2^53 - 1). Past it nothing could be looked up exactly.
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** A database id written as text: 1 to MAX_ID, no sign, no leading zero; else undefined. */
export function parseId(text: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(text) && Number(text) <= MAX_ID ? Number(text) : undefined;
}
