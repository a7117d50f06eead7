import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { Decimal } from '../common/decimal';

/**
 * JSON on the wire keeps every number as the literal the client wrote (a LosslessNumber),
 * so points such as 10.5 or 12345678901234.125 reach the decimal code unchanged, and
 * responses write decimals without passing through a float.
 */
export type WireNumber = LosslessNumber;

export function parseWireJson(text: string): unknown {
  return parse(text);
}

export function stringifyWireJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

export function isWireNumber(value: unknown): value is WireNumber {
  return isLosslessNumber(value);
}

/** A JSON number holding exactly this decimal. */
export function wireNumber(value: Decimal | string | number): WireNumber {
  return new LosslessNumber(
    value instanceof Decimal ? value.toString() : Decimal.of(value).toString(),
  );
}

/**
 * An id of a table that grows without bound (wallet, lot, ledger entry, redemption, audit
 * entry) on the wire: a string, as it always was, so a client never reads one through a float.
 */
export function wireId(id: number): string;
export function wireId(id: number | null): string | null;
export function wireId(id: number | null): string | null {
  return id === null ? null : String(id);
}

const RAW_JSON_MARKER = Symbol.for('lossless-json.LosslessNumber');

/**
 * JSON text written into a response as it is, never parsed again: an item an earlier owner
 * of an Idempotency-Key finished and stored, replayed byte for byte. (lossless-json writes
 * any value carrying its number marker through `toString`.)
 */
export function rawJson(text: string): unknown {
  return { [RAW_JSON_MARKER]: true, toString: () => text };
}

/** A JSON object of a wire body (not an array, not an exact number). */
export const isWireObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isWireNumber(v);
