import { field, WireField } from '../capillary/wire-schema';
import { isWireNumber } from '../capillary/wire-json';
import { parseId } from '../common/ids';

export const IDENTIFIER_TYPES = [
  'id',
  'mobile',
  'email',
  'external_id',
  'card_number',
  'card_external_id',
] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export interface CustomerIdentifier {
  type: IdentifierType;
  value: string;
}

const MAX_LENGTH = 200;

const hasControlCharacter = (s: string): boolean => {
  for (let i = 0; i < s.length; i++)
    if (s.charCodeAt(i) < 0x20 || s.charCodeAt(i) === 0x7f) return true;
  return false;
};

/** A scalar from JSON or a query string as text; numbers keep the literal the client sent. */
export function scalarText(value: unknown): string | undefined {
  // Postgres text cannot hold NUL: such a value is malformed, whatever the field.
  if (typeof value === 'string') return value.includes('\u0000') ? undefined : value.trim();
  if (isWireNumber(value)) return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * The identifier to look a customer up by: the first non-empty of id, mobile, email,
 * external_id, card_number, card_external_id. Empty strings count as absent. Returns
 * 'missing' when there is none and 'malformed' when the chosen one cannot be valid.
 */
export function pickIdentifier(
  source: Record<string, unknown> | undefined | null,
): CustomerIdentifier | 'missing' | 'malformed' {
  if (!source || typeof source !== 'object' || Array.isArray(source)) return 'missing';
  for (const type of IDENTIFIER_TYPES) {
    const raw = source[type];
    if (raw === undefined || raw === null) continue;
    const value = scalarText(raw);
    if (value === undefined) return 'malformed';
    if (value === '') continue;
    if (value.length > MAX_LENGTH || hasControlCharacter(value)) return 'malformed';
    if (type === 'id' && parseId(value) === undefined) return 'malformed';
    return { type, value };
  }
  return 'missing';
}

/** `type`/`value` pairs as used by v2 and group parameters (`cardnumber`, `cardExternalId`, …). */
export function identifierFromTypeValue(type: unknown, value: unknown): CustomerIdentifier | null {
  const aliases: Record<string, IdentifierType> = {
    id: 'id',
    user_id: 'id',
    mobile: 'mobile',
    email: 'email',
    external_id: 'external_id',
    externalid: 'external_id',
    cardnumber: 'card_number',
    card_number: 'card_number',
    cardexternalid: 'card_external_id',
    card_external_id: 'card_external_id',
  };
  const t = typeof type === 'string' ? aliases[type.trim().toLowerCase()] : undefined;
  if (!t) return null;
  const picked = pickIdentifier({ [t]: value });
  return typeof picked === 'string' ? null : picked;
}

/**
 * The identifier parameters of a customer read, as its parser takes them (raw: pickIdentifier
 * decides) and as they are documented.
 */
export const IDENTIFIER_QUERY_FIELDS = Object.fromEntries(
  IDENTIFIER_TYPES.map((t) => [
    t,
    field(
      {
        type: 'string',
        description:
          t === 'id'
            ? "the customer's user_id"
            : 'any one identifier; the first non-empty of id, mobile, email, external_id, card_number, card_external_id is used',
        ...(t === 'mobile' ? { example: '919900000001' } : {}),
      },
      (raw) => raw,
    ),
  ]),
) as Record<IdentifierType, WireField<unknown>>;
