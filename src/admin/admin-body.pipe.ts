import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../capillary/api-error';
import { isWireNumber } from '../capillary/wire-json';

/**
 * Admin bodies arrive with exact numbers (see wire-json). For validation each becomes a JS
 * number only when that number writes back as the very text sent; any other literal stays
 * text, which decimal fields read exactly and integer fields refuse. Checking the rounded
 * number instead (Number.isSafeInteger) let 4.9999999999999999 through as customer 5, and
 * 1.0000000000000001 or 1e0 as 1: an id is what the client wrote, never what a float makes of it.
 */
export function plainNumbers(value: unknown): unknown {
  if (isWireNumber(value)) {
    const literal = value.toString();
    const n = Number(literal);
    return String(n) === literal ? n : literal;
  }
  if (Array.isArray(value)) return value.map(plainNumbers);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainNumbers(v)]));
  }
  return value;
}

/** The path of the first string holding a NUL character (Postgres text cannot store it). */
export function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : undefined;
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const found = nulPath(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return undefined;
}

/** A path id as written: digits only (no sign, point, exponent, hex or spaces). */
const PATH_ID = /^(0|[1-9]\d*)$/;

@Injectable()
export class AdminBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // Numeric path parameters: the class's ValidationPipe turns the text into a number with
    // Number(), which reads 5.0, 5e0, 0x5 and 4.9999999999999999 all as 5. The text is
    // checked here, before that; the route's own pipe still answers 404 for 0 or past MAX_ID.
    if (metadata.type === 'param' && metadata.metatype === Number) {
      if (typeof value !== 'string' || !PATH_ID.test(value)) {
        throw ApiError.badRequest(`${metadata.data ?? 'id'} must be an integer`, [
          { field: metadata.data ?? 'id', message: 'must be an integer written in digits' },
        ]);
      }
      return value;
    }
    if (
      metadata.type === 'body' &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw ApiError.badRequest('The body must be a JSON object', [
        { field: '(body)', message: 'must be a JSON object' },
      ]);
    }
    const nul = nulPath(value);
    if (nul)
      throw ApiError.badRequest('Text may not contain NUL characters', [
        { field: nul, message: 'contains a NUL character' },
      ]);
    return plainNumbers(value);
  }
}

/**
 * A PATCH must change something: a body that names no field it knows is a 400 (after the
 * class's pipes, which refused unknown fields and converted the known ones).
 */
@Injectable()
export class NonEmptyPatchPipe implements PipeTransform {
  transform(value: unknown): unknown {
    const fields = typeof value === 'object' && value !== null ? Object.values(value) : [];
    if (fields.every((v) => v === undefined)) {
      throw ApiError.badRequest('Nothing to change: the body names no field', [
        { field: '(body)', message: 'name at least one field to change' },
      ]);
    }
    return value;
  }
}
