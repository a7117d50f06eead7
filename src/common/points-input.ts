import { isWireNumber } from '../capillary/wire-json';
import { Decimal } from './decimal';

/** Largest number of integer digits numeric(18,3) holds. */
const MAX_INTEGER_DIGITS = 15;

export type PointsInput =
  { ok: true; points: Decimal } | { ok: false; outcome: 'INVALID_POINTS' | 'INVALID_PRECISION' };

/**
 * Points as a client sends them: a JSON number or a numeric string, exactly. Must be > 0
 * (else INVALID_POINTS) and have at most 3 decimals (else INVALID_PRECISION). NaN,
 * Infinity, 1e309, booleans, objects: INVALID_POINTS.
 */
export function parsePoints(value: unknown): PointsInput {
  let text: string | undefined;
  if (isWireNumber(value)) text = value.toString();
  else if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value);
  if (text === undefined || text === '') return { ok: false, outcome: 'INVALID_POINTS' };
  const points = Decimal.parse(text);
  if (points === null || !points.isPositive()) return { ok: false, outcome: 'INVALID_POINTS' };
  if (points.decimalPlaces > 3) return { ok: false, outcome: 'INVALID_PRECISION' };
  if (points.integerDigits > MAX_INTEGER_DIGITS) return { ok: false, outcome: 'INVALID_POINTS' };
  return { ok: true, points };
}
