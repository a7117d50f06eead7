import { types } from 'pg';
import type { CustomTypesConfig } from 'pg';

const INT8 = 20;
const INT8_ARRAY = 1016;

/**
 * A bigint (every id and org_id) as a JS number. Ids stay far below 2^53, but one past it
 * is refused rather than silently rounded to a neighbouring id.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`bigint ${text} is past what a JS number holds exactly`);
  }
  return value;
}

const parseTextArray = types.getTypeParser(
  INT8_ARRAY as Parameters<typeof types.getTypeParser>[0],
  'text',
) as (text: string) => unknown;

function int8Elements(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(int8Elements);
  return typeof value === 'string' ? parseInt8(value) : value;
}

/**
 * The driver's parsers, but for bigint and bigint[], which it reads as strings. Given to
 * every pool (`types`), so ids read the same whichever column they come from.
 */
export const PG_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 && format !== 'binary') return parseInt8;
    if (oid === INT8_ARRAY && format !== 'binary') {
      return (text: string) => int8Elements(parseTextArray(text));
    }
    return types.getTypeParser(oid, format) as unknown;
  }) as CustomTypesConfig['getTypeParser'],
};
