import { CustomerIdentifier } from '../customers/identifier';
import { Decimal } from '../common/decimal';
import { Outcome } from '../common/outcome';
import { PointsInput } from '../common/points-input';
import { Principal } from '../auth/principal';
import { GroupSelector } from '../groups/group.repository';

export interface CustomField {
  name: string;
  value: string;
}

/** One `root.redeem` entry, parsed but not yet checked against the database. */
export interface RedeemItem {
  points: PointsInput;
  customer: CustomerIdentifier | 'missing' | 'malformed';
  customerEcho: Record<string, string>;
  transactionNumber: string;
  externalReferenceNumber: string | null;
  validationCode: string | null;
  redemptionTime: Date | null | 'invalid';
  notes: string;
  purpose: string;
  customFields: CustomField[] | 'invalid';
  groupRedemption: boolean;
  /** A field that cannot be stored (too long, wrong shape). */
  invalidField: string | null;
}

export interface RedeemQuery {
  programId: number | 'invalid' | undefined;
  skipValidation: boolean;
  validationType: 'SMS' | 'MISSED_CALL';
  group: GroupSelector | undefined;
}

/** The first problem an item has on its own, before anything is looked up. */
export function firstItemProblem(item: RedeemItem): Outcome | null {
  if (!item.points.ok) return item.points.outcome;
  if (item.redemptionTime === 'invalid') return 'INVALID_REDEMPTION_TIME';
  if (item.customer === 'missing' || item.customer === 'malformed')
    return 'MISSING_CUSTOMER_IDENTIFIER';
  if (item.customFields === 'invalid') return 'UNKNOWN_CUSTOM_FIELD';
  if (item.invalidField !== null) return 'INVALID_FIELD';
  return null;
}

/** An item without a problem of its own: points, customer and custom fields are usable. */
export interface SoundItem extends RedeemItem {
  points: { ok: true; points: Decimal };
  customer: CustomerIdentifier;
  customFields: CustomField[];
}

/** The item's first problem, or the item itself typed as sound. */
export function checkItem(item: RedeemItem): SoundItem | Outcome {
  // firstItemProblem rules out exactly the cases SoundItem excludes.
  return firstItemProblem(item) ?? (item as SoundItem);
}

/** A redeem request, parsed: the same rules for every item, each item on its own. */
export interface RedeemCommand {
  principal: Principal;
  requestId: string;
  query: RedeemQuery;
  items: RedeemItem[];
}
