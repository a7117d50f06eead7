import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { ApiError } from '../capillary/api-error';
import { parseId } from '../common/ids';

const invalid = (field: string, message: string) =>
  ApiError.badRequest(`${field} ${message}`, [{ field, message }]);

/** A query parameter that must be one string (absent: undefined). */
export function optionalText(raw: unknown, field: string, max = 200): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > max)
    throw invalid(field, `must be one value of at most ${max} characters`);
  return raw;
}

/** A query parameter that must be one string (absent: empty). */
export function text(raw: unknown, field: string, max = 200): string {
  return optionalText(raw, field, max) ?? '';
}

/** An integer query parameter in [min, max] (absent: undefined). */
export function intQuery(raw: unknown, field: string, min: number, max: number) {
  const value = optionalText(raw, field, 12);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  return n;
}

/** A keyset page: `before` (the last id of the previous page) and `limit` (1-100). */
export function pageQuery(
  before: unknown,
  limit: unknown,
  fallback: number,
): { before: string | undefined; limit: number } {
  const cursor = optionalText(before, 'before', 19);
  if (cursor !== undefined && parseId(cursor) === undefined)
    throw invalid('before', 'must be an id from the previous page');
  return { before: cursor, limit: intQuery(limit, 'limit', 1, 100) ?? fallback };
}

/** The OpenAPI parameters of a keyset page. */
export const ApiPageQuery = () =>
  applyDecorators(
    ApiQuery({ name: 'before', required: false, description: "the previous page's next_before" }),
    ApiQuery({ name: 'limit', required: false, description: '1-100' }),
  );
