import { Outcome } from '../common/outcome';

export interface ItemCode {
  code: number;
  message: string;
  success: boolean;
}

const ok = (code: number, message: string): ItemCode => ({ code, message, success: true });
const no = (code: number, message: string): ItemCode => ({ code, message, success: false });

/** Every outcome's Capillary code and message. `Record<Outcome, …>` keeps it exhaustive. */
export const ITEM_CODES: Record<Outcome, ItemCode> = {
  REDEEMED: ok(800, 'Points Redeemed'),
  REDEEMABLE: ok(800, 'Points can be redeemed'),
  INVALID_POINTS: no(801, 'Trying to redeem invalid points'),
  MISSING_CUSTOMER_IDENTIFIER: no(802, 'Customer identifier is missing or invalid'),
  INSUFFICIENT_POINTS: no(803, 'Points redeemed are more than the current balance'),
  NOT_A_MULTIPLE: no(807, 'Points redeemed are not a multiple of the allowed value'),
  VALIDATION_CODE_INVALID: no(808, 'Validation code is invalid, expired or already used'),
  // Told apart for the metrics only: the till reads the same answer as for a wrong code.
  VALIDATION_CODE_LOCKED: no(808, 'Validation code is invalid, expired or already used'),
  FRAUD_CUSTOMER: no(809, 'Customer is marked as fraud'),
  CUSTOMER_NOT_FOUND: no(816, 'Customer not found'),
  ABOVE_MAXIMUM: no(819, 'Points redeemed are above the maximum allowed'),
  BELOW_MINIMUM: no(821, 'Points redeemed are below the minimum allowed'),
  NO_MISSED_CALL: no(822, 'No recent missed call from the customer'),
  MISSED_CALL_DISABLED: no(823, 'Missed call validation is not enabled'),
  VALIDATION_REQUIRED: no(824, 'Validation cannot be skipped for this organization'),
  INVALID_REDEMPTION_TIME: no(859, 'Invalid redemption time'),
  REDEMPTION_TIME_OUT_OF_RANGE: no(
    859,
    'Redemption time must be after 2000-01-01 and at most a day from now',
  ),
  INVALID_PRECISION: no(878, 'Invalid decimal precision in points redeemed'),
  DUPLICATE_EXTERNAL_REFERENCE: no(744, 'External reference number is already used'),
  WALLET_LOCKED: no(521, 'Points are locked by another request; retry'),
  UNKNOWN_PROGRAM: no(1101, 'Invalid program id'),
  GROUP_NOT_FOUND: no(1632, 'Invalid or non-existent groupId'),
  GROUP_REDEMPTION_DISABLED: no(828, 'Points redemption not configured for the group'),
  GROUP_REDEMPTION_REQUIRED: no(
    3316,
    'group redemption action executed from non group redemption payload',
  ),
  UNKNOWN_CUSTOM_FIELD: no(860, 'Invalid custom field'),
  INVALID_FIELD: no(861, 'Invalid field value (wrong type or too long)'),
  VALIDATION_CODE_ISSUED: ok(200, 'Validation Code Issued by SMS'),
  VALIDATION_CODE_ISSUED_EMAIL: ok(200, 'Validation Code Issued by EMAIL'),
  VALIDATION_CODE_ISSUE_FAILED: no(876, 'Validation code could not be issued'),
  VALIDATION_CODE_ISSUE_LIMIT: no(877, 'Too many validation codes requested; try later'),
  CUSTOMER_RETRIEVED: ok(1000, 'Customer successfully retrieved'),
  REVERSED: ok(200, 'Points reversed'),
  REDEMPTION_NOT_FOUND: no(902, 'Redemption not found'),
  ALREADY_FULLY_REVERSED: no(3802, 'Redemption is already fully reversed'),
  REVERSAL_EXCEEDS_REDEMPTION: no(
    810,
    'Points to be reversed exceed what remains of the redemption',
  ),
  REVERSAL_NOT_A_MULTIPLE: no(
    811,
    "Points to be reversed must be a multiple of the program's step and leave one behind; or reverse the rest",
  ),
  TOO_MANY_REVERSALS: no(
    812,
    'This redemption has had the most partial reversals allowed; reverse the rest at once',
  ),
  IDENTIFIER_MISMATCH: no(816, 'Customer identifier does not match the redemption'),
};

export function itemStatus(outcome: Outcome): {
  success: 'true' | 'false';
  code: number;
  message: string;
} {
  const c = ITEM_CODES[outcome];
  return { success: c.success ? 'true' : 'false', code: c.code, message: c.message };
}
