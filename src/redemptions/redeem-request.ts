import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../capillary/api-error';
import { parseBool, queryValue } from '../capillary/query';
import { parseId } from '../common/ids';
import { parsePoints } from '../common/points-input';
import { GroupSelector } from '../groups/group.repository';
import { pickIdentifier, scalarText } from '../customers/identifier';
import { CustomField, RedeemItem, RedeemQuery } from './redeem-item';

// The edge's half of redeem and isredeemable: the tolerant wire input into RedeemItem and
// RedeemQuery. Everything about an item that needs no database is decided from these.
export { firstItemProblem, type RedeemItem } from './redeem-item';
export { parseBool, queryValue };

const LIMITS = { short: 200, notes: 2000 };
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !('isLosslessNumber' in v);

export function parseRedeemQuery(query: Record<string, unknown>): RedeemQuery {
  const program = queryValue(query, 'program_id');
  let programId: RedeemQuery['programId'];
  if (program !== undefined && program !== '') {
    programId = parseId(program) ?? 'invalid';
  }
  const group: GroupSelector = {
    id: queryValue(query, 'user_group2_id') || undefined,
    externalId: queryValue(query, 'user_group2_external_id') || undefined,
    primaryUserId: queryValue(query, 'user_group2_primary_user_id') || undefined,
    primaryIdentifierType:
      queryValue(query, 'user_group2_primary_user_identifier_type') || undefined,
    primaryIdentifierValue:
      queryValue(query, 'user_group2_primary_user_identifier_value') || undefined,
  };
  const anyGroup = Object.values(group).some((v) => v !== undefined);
  return {
    programId,
    skipValidation: parseBool(queryValue(query, 'skip_validation')),
    validationType:
      (queryValue(query, 'validation_type') ?? '').toUpperCase() === 'MISSED_CALL'
        ? 'MISSED_CALL'
        : 'SMS',
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
  if (isObject(value)) list = value.field ?? [];
  if (isObject(list)) list = [list];
  if (!Array.isArray(list)) return 'invalid';
  const fields: CustomField[] = [];
  for (const entry of list) {
    if (!isObject(entry)) return 'invalid';
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

export function parseItem(raw: Record<string, unknown>): RedeemItem {
  let invalidField: string | null = null;
  const field = (name: string, limit: number): string => {
    const t = text(raw[name], limit);
    if (t === 'invalid') {
      invalidField ??= name;
      return '';
    }
    return t.value;
  };
  const customer = isObject(raw.customer) ? raw.customer : undefined;
  const echo: Record<string, string> = {};
  for (const k of ['mobile', 'email', 'external_id'] as const) {
    const v = customer ? scalarText(customer[k]) : undefined;
    echo[k] = v !== undefined && v.length <= LIMITS.short ? v : '';
  }
  const ern = field('external_reference_number', LIMITS.short);
  const code = field('validation_code', LIMITS.short);
  return {
    points: parsePoints(raw.points_redeemed),
    customer:
      raw.customer === undefined ? 'missing' : customer ? pickIdentifier(customer) : 'malformed',
    customerEcho: echo,
    transactionNumber: field('transaction_number', LIMITS.short),
    externalReferenceNumber: ern === '' ? null : ern,
    validationCode: code === '' ? null : code,
    redemptionTime: parseRedemptionTime(raw.redemption_time),
    notes: field('notes', LIMITS.notes),
    purpose: field('redemption_purpose', LIMITS.short),
    customFields: parseCustomFields(raw.custom_fields),
    groupRedemption: parseBool(raw.group_redemption),
    invalidField,
  };
}

/** isredeemable's query as a redeem item: `points`, the identifier, `validation_code`, … */
export function itemFromQuery(query: Record<string, unknown>): RedeemItem {
  const customer: Record<string, unknown> = {};
  for (const k of ['id', 'mobile', 'email', 'external_id', 'card_number', 'card_external_id']) {
    const v = queryValue(query, k);
    if (v !== undefined) customer[k] = v;
  }
  return parseItem({
    points_redeemed: queryValue(query, 'points'),
    customer,
    validation_code: queryValue(query, 'validation_code'),
    external_reference_number: queryValue(query, 'external_reference_number'),
  });
}

/**
 * `{"root":{"redeem":[…] | {…}}}` into items. A body that is not of that shape, or a batch
 * larger than maxBatch, fails the whole request; anything wrong inside an item fails only
 * that item (see `firstItemProblem`). Unknown fields are ignored, as real clients send extras.
 */
export function parseRedeemBody(body: unknown, maxBatch: number): RedeemItem[] {
  const root = isObject(body) ? body.root : undefined;
  const redeem = isObject(root) ? root.redeem : undefined;
  const list = Array.isArray(redeem) ? redeem : isObject(redeem) ? [redeem] : undefined;
  if (!list || list.length === 0) {
    throw ApiError.badRequest('Body must be {"root":{"redeem":[{…}]}} with at least one item', [
      { field: 'root.redeem', message: 'required: an object or a non-empty array of objects' },
    ]);
  }
  if (list.length > maxBatch) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      1060,
      `Batch size ${list.length} exceeds the limit of ${maxBatch} items`,
    );
  }
  return list.map((entry, i) => {
    if (!isObject(entry)) {
      throw ApiError.badRequest(`root.redeem[${i}] must be an object`, [
        { field: `root.redeem[${i}]`, message: 'must be an object' },
      ]);
    }
    return parseItem(entry);
  });
}
