import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../capillary/api-error';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { firstValue, parseBool, queryValue } from '../capillary/query';
import { isWireObject } from '../capillary/wire-json';
import { field, objectSchema, parseFields, WireFields } from '../capillary/wire-schema';
import { parseId } from '../common/ids';
import { parsePoints } from '../common/points-input';
import { GroupSelector } from '../groups/group.repository';
import { IDENTIFIER_TYPES, pickIdentifier, scalarText } from '../customers/identifier';
import { CustomField, RedeemItem, RedeemQuery } from './redeem-item';

// The edge's half of redeem and isredeemable: the tolerant wire input into RedeemItem and
// RedeemQuery. Everything about an item that needs no database is decided from these.
export { firstItemProblem, type RedeemItem } from './redeem-item';
export { parseBool, queryValue };

const LIMITS = { short: 200, notes: 2000 };
const first = firstValue;
const groupParam = (description: string) =>
  field({ type: 'string', description }, (raw) => first(raw) || undefined);

/** The query of redeem (and of isredeemable, which runs the same checks). */
export const REDEEM_QUERY_FIELDS = {
  program_id: field(
    { type: 'integer', description: "the org's default program when absent; unknown: 1101" },
    (raw): RedeemQuery['programId'] => {
      const v = first(raw);
      return v === undefined || v === '' ? undefined : (parseId(v) ?? 'invalid');
    },
  ),
  skip_validation: field(
    { type: 'boolean', description: 'no validation code needed (824 when the org requires one)' },
    (raw) => parseBool(first(raw)),
  ),
  validation_type: field(
    { type: 'string', enum: ['SMS', 'MISSED_CALL'], description: 'default SMS' },
    (raw): RedeemQuery['validationType'] =>
      (first(raw) ?? '').toUpperCase() === 'MISSED_CALL' ? 'MISSED_CALL' : 'SMS',
  ),
  user_group2_id: groupParam('group redemption: the group id'),
  user_group2_external_id: groupParam("group redemption: the group's external id"),
  user_group2_primary_user_id: groupParam("group redemption: the primary member's user id"),
  user_group2_primary_user_identifier_type: groupParam(
    "group redemption: the primary member's identifier type (mobile, email, …)",
  ),
  user_group2_primary_user_identifier_value: groupParam(
    "group redemption: the primary member's identifier value",
  ),
};

export function parseRedeemQuery(query: Record<string, unknown>): RedeemQuery {
  const q = parseFields(REDEEM_QUERY_FIELDS, query);
  const group: GroupSelector = {
    id: q.user_group2_id,
    externalId: q.user_group2_external_id,
    primaryUserId: q.user_group2_primary_user_id,
    primaryIdentifierType: q.user_group2_primary_user_identifier_type,
    primaryIdentifierValue: q.user_group2_primary_user_identifier_value,
  };
  const anyGroup = Object.values(group).some((v) => v !== undefined);
  return {
    programId: q.program_id,
    skipValidation: q.skip_validation,
    validationType: q.validation_type,
    group: anyGroup ? group : undefined,
  };
}

const TIME =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/;

/** `YYYY-MM-DD HH:MM:SS` (UTC unless an offset is given); a real calendar time or 'invalid'. */
export function parseRedemptionTime(value: unknown): Date | null | 'invalid' {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return 'invalid';
  const m = TIME.exec(value.trim());
  if (!m) return 'invalid';
  const [, y, mo, d, h, mi, s, zone] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone ? (zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone) : 'Z'}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'invalid';
  // Reject dates JavaScript silently rolls over (2024-02-30 → 2024-03-01).
  const check = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  if (
    check.getUTCMonth() !== +mo - 1 ||
    check.getUTCDate() !== +d ||
    +h > 23 ||
    +mi > 59 ||
    +s > 59
  )
    return 'invalid';
  return date;
}

function parseCustomFields(value: unknown): CustomField[] | 'invalid' {
  if (value === undefined || value === null || value === '') return [];
  let list: unknown = value;
  if (isWireObject(value)) list = value.field ?? [];
  if (isWireObject(list)) list = [list];
  if (!Array.isArray(list)) return 'invalid';
  const fields: CustomField[] = [];
  for (const entry of list) {
    if (!isWireObject(entry)) return 'invalid';
    const name = scalarText(entry.name);
    const fieldValue =
      entry.value === undefined || entry.value === null ? '' : scalarText(entry.value);
    if (
      !name ||
      fieldValue === undefined ||
      name.length > LIMITS.short ||
      fieldValue.length > LIMITS.notes
    )
      return 'invalid';
    fields.push({ name, value: fieldValue });
  }
  return fields;
}

function text(value: unknown, limit: number): { value: string } | 'invalid' {
  if (value === undefined || value === null) return { value: '' };
  const t = scalarText(value);
  if (t === undefined || t.length > limit) return 'invalid';
  return { value: t };
}

const textField = (limit: number, doc: SchemaObject = {}) =>
  field({ type: 'string', maxLength: limit, ...doc }, (raw) => text(raw, limit));

const CUSTOMER_REF: SchemaObject = {
  type: 'object',
  description:
    'the first non-empty of id, mobile, email, external_id, card_number, card_external_id identifies the customer',
  properties: Object.fromEntries(
    IDENTIFIER_TYPES.map((t) => [
      t,
      { type: 'string', ...(t === 'mobile' ? { example: '919900000001' } : {}) },
    ]),
  ),
};

/** One `root.redeem` item: what each field may be, and how it is read. */
export const REDEEM_ITEM_FIELDS = {
  points_redeemed: field(
    {
      oneOf: [{ type: 'number' }, { type: 'string' }],
      example: 10,
      description: 'a number or numeric string, exact: > 0, at most 3 decimals',
    },
    parsePoints,
    true,
  ),
  customer: field(
    CUSTOMER_REF,
    (raw): RedeemItem['customer'] =>
      raw === undefined ? 'missing' : isWireObject(raw) ? pickIdentifier(raw) : 'malformed',
    true,
  ),
  transaction_number: textField(LIMITS.short, { example: 'bill-1001' }),
  external_reference_number: textField(LIMITS.short, {
    example: 'pos7-000123',
    description: 'unique per org; a repeat gets 744',
  }),
  validation_code: textField(LIMITS.short, { example: 'NS3U05' }),
  redemption_time: field(
    {
      type: 'string',
      example: '2024-03-13 18:02:34',
      description: 'UTC unless an offset is given',
    },
    parseRedemptionTime,
  ),
  notes: textField(LIMITS.notes),
  redemption_purpose: textField(LIMITS.short),
  custom_fields: field(
    {
      description: '{"field":[{name,value}]} or a bare array of {name,value}',
      oneOf: [
        { type: 'object', properties: { field: { type: 'array', items: { type: 'object' } } } },
        { type: 'array', items: { type: 'object' } },
      ],
    },
    parseCustomFields,
  ),
  group_redemption: field(
    {
      oneOf: [{ type: 'boolean' }, { type: 'string' }],
      description: 'redeem from the group wallet',
    },
    parseBool,
  ),
};

/** The redeem body as OpenAPI documents it. */
export const REDEEM_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    root: {
      type: 'object',
      properties: {
        redeem: {
          description: `one item, or an array of up to MAX_BATCH items, each in its own transaction`,
          oneOf: [
            objectSchema(REDEEM_ITEM_FIELDS),
            { type: 'array', items: objectSchema(REDEEM_ITEM_FIELDS) },
          ],
        },
      },
      required: ['redeem'],
    },
  },
  required: ['root'],
};

export function parseItem(raw: Record<string, unknown>): RedeemItem {
  const f = parseFields(REDEEM_ITEM_FIELDS, raw);
  const texts = {
    transaction_number: f.transaction_number,
    external_reference_number: f.external_reference_number,
    validation_code: f.validation_code,
    notes: f.notes,
    redemption_purpose: f.redemption_purpose,
  };
  const invalidField = Object.entries(texts).find(([, v]) => v === 'invalid')?.[0] ?? null;
  const value = (t: { value: string } | 'invalid'): string => (t === 'invalid' ? '' : t.value);
  const customer = isWireObject(raw.customer) ? raw.customer : undefined;
  const echo: Record<string, string> = {};
  for (const k of ['mobile', 'email', 'external_id'] as const) {
    const v = customer ? scalarText(customer[k]) : undefined;
    echo[k] = v !== undefined && v.length <= LIMITS.short ? v : '';
  }
  const ern = value(f.external_reference_number);
  const code = value(f.validation_code);
  return {
    points: f.points_redeemed,
    customer: f.customer,
    customerEcho: echo,
    transactionNumber: value(f.transaction_number),
    externalReferenceNumber: ern === '' ? null : ern,
    validationCode: code === '' ? null : code,
    redemptionTime: f.redemption_time,
    notes: value(f.notes),
    purpose: value(f.redemption_purpose),
    customFields: f.custom_fields,
    groupRedemption: f.group_redemption,
    invalidField,
  };
}

const queryText = (doc: SchemaObject, required = false) => field(doc, first, required);

/** isredeemable's own query parameters (the redeem query's come too). */
export const ISREDEEMABLE_QUERY_FIELDS = {
  points: queryText({ type: 'string', example: '10', description: 'the points to check' }, true),
  ...Object.fromEntries(IDENTIFIER_TYPES.map((t) => [t, queryText({ type: 'string' })])),
  validation_code: queryText({
    type: 'string',
    description: 'checked as redeem would (a wrong one counts)',
  }),
  external_reference_number: queryText({ type: 'string' }),
  issue_otp: field(
    { type: 'boolean', description: 'issue a validation code when the checks pass' },
    (raw) => parseBool(first(raw)),
  ),
} as const;

/** isredeemable's query as a redeem item: `points`, the identifier, `validation_code`, … */
export function itemFromQuery(query: Record<string, unknown>): RedeemItem {
  const q = parseFields(ISREDEEMABLE_QUERY_FIELDS as WireFields, query) as Record<string, unknown>;
  const customer: Record<string, unknown> = {};
  for (const k of IDENTIFIER_TYPES) if (q[k] !== undefined) customer[k] = q[k];
  return parseItem({
    points_redeemed: q.points,
    customer,
    validation_code: q.validation_code,
    external_reference_number: q.external_reference_number,
  });
}

/**
 * `{"root":{"redeem":[…] | {…}}}` into items. A body that is not of that shape, or a batch
 * larger than maxBatch, fails the whole request; anything wrong inside an item fails only
 * that item (see `firstItemProblem`). Unknown fields are ignored, as real clients send extras.
 */
export function parseRedeemBody(body: unknown, maxBatch: number): RedeemItem[] {
  const root = isWireObject(body) ? body.root : undefined;
  const redeem = isWireObject(root) ? root.redeem : undefined;
  const list = Array.isArray(redeem) ? redeem : isWireObject(redeem) ? [redeem] : undefined;
  if (!list || list.length === 0) {
    throw ApiError.badRequest(
      'Body must be {"root":{"redeem":[{…}]}} (in XML <root><redeem>…</redeem></root>) with at least one item',
      [{ field: 'root.redeem', message: 'required: an object or a non-empty array of objects' }],
    );
  }
  if (list.length > maxBatch) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      1060,
      `Batch size ${list.length} exceeds the limit of ${maxBatch} items`,
    );
  }
  return list.map((entry, i) => {
    if (!isWireObject(entry)) {
      throw ApiError.badRequest(`root.redeem[${i}] must be an object`, [
        { field: `root.redeem[${i}]`, message: 'must be an object' },
      ]);
    }
    return parseItem(entry);
  });
}
