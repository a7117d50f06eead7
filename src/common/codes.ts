import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random code from a CSPRNG, e.g. redemption ids (6 × [A-Za-z0-9]). */
export function randomCode(length: number, alphabet = ALPHANUMERIC): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Redemption (and reversal) codes, the ids tills see: 6 × [A-Za-z0-9]. */
export const REDEMPTION_CODE_LENGTH = 6;

/** Whether `text` has the shape of a redemption code (anything else names none). */
export const isRedemptionCode = (text: string): boolean =>
  text.length === REDEMPTION_CODE_LENGTH && /^[A-Za-z0-9]+$/.test(text);
