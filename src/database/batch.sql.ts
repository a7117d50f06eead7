/*
 * Statements sent several to a round trip: a simple-protocol message of EXECUTEs of
 * statements prepared at SQL level on the connection, with their parameters written as
 * literals. Shared with the benchmark's raw-Postgres client (bench/workers/raw.mjs loads
 * this file from dist/), so both send the same text. No imports.
 */

/** Raised for a value a literal cannot carry (a NUL character, an object). */
export class LiteralError extends Error {}

/** A quoted string literal, valid whatever standard_conforming_strings says. */
function quoted(text: string): string {
  if (text.includes('\0')) throw new LiteralError('a NUL character cannot be sent');
  let backslash = false;
  let out = "'";
  for (const c of text) {
    if (c === "'") out += "''";
    else if (c === '\\') {
      out += '\\\\';
      backslash = true;
    } else out += c;
  }
  out += "'";
  return backslash ? `E${out}` : out;
}

/** One element of an array literal's text: double-quoted, `"` and `\` escaped. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return `"${text(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A parameter's text, as pg would send it in a Bind message. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new LiteralError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(',')}}`;
  throw new LiteralError(`no literal for a value of type ${typeof value}`);
}

/**
 * A parameter as an untyped literal (NULL for null): the prepared statement's parameter
 * type decides how it is read, exactly as for a bound parameter.
 */
export function literal(value: unknown): string {
  return value === null || value === undefined ? 'NULL' : quoted(text(value));
}

/** The SQL-level name of a batched statement (apart from the driver's own names). */
export const batchName = (name: string): string => `"b:${name.replace(/"/g, '""')}"`;

export const BATCH_SQL = {
  prepare: (name: string, statement: string): string =>
    `PREPARE ${batchName(name)} AS ${statement}`,
  execute: (name: string, params: readonly unknown[]): string =>
    params.length === 0
      ? `EXECUTE ${batchName(name)}`
      : `EXECUTE ${batchName(name)}(${params.map(literal).join(', ')})`,
};
