import { Injectable, PipeTransform } from '@nestjs/common';
import { isWireNumber } from '../capillary/wire-json';

/**
 * Admin bodies arrive with exact numbers (see wire-json). For validation each becomes a
 * JS number when that is exact, else its literal string (which decimal fields accept and
 * integer fields reject).
 */
export function plainNumbers(value: unknown): unknown {
  if (isWireNumber(value)) {
    const literal = value.toString();
    const n = Number(literal);
    return Number.isFinite(n) && (Number.isSafeInteger(n) || String(n) === literal) ? n : literal;
  }
  if (Array.isArray(value)) return value.map(plainNumbers);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainNumbers(v)]));
  }
  return value;
}

@Injectable()
export class AdminBodyPipe implements PipeTransform {
  transform(value: unknown): unknown {
    return plainNumbers(value);
  }
}
