/** Largest id a row can have (the id columns are 32-bit integers). */
export const MAX_ID = 2147483647;

/** A database id written as text: 1 to MAX_ID, no sign, no leading zero; else undefined. */
export function parseId(text: string): number | undefined {
  return /^[1-9]\d{0,9}$/.test(text) && Number(text) <= MAX_ID ? Number(text) : undefined;
}
