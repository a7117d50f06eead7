/**
 * Why an item (a redemption, a dry run, a reversal) did or did not happen. Stable names the
 * domain uses; the wire format maps them to Capillary codes in one table.
 */
export type Outcome =
  | 'REDEEMED'
  | 'REDEEMABLE'
  | 'INVALID_POINTS'
  | 'MISSING_CUSTOMER_IDENTIFIER'
  | 'INSUFFICIENT_POINTS'
  | 'NOT_A_MULTIPLE'
  | 'VALIDATION_CODE_INVALID'
  | 'FRAUD_CUSTOMER'
  | 'CUSTOMER_NOT_FOUND'
  | 'ABOVE_MAXIMUM'
  | 'BELOW_MINIMUM'
  | 'NO_MISSED_CALL'
  | 'MISSED_CALL_DISABLED'
  | 'VALIDATION_REQUIRED'
  | 'INVALID_REDEMPTION_TIME'
  | 'INVALID_PRECISION'
  | 'DUPLICATE_EXTERNAL_REFERENCE'
  | 'WALLET_LOCKED'
  | 'UNKNOWN_PROGRAM'
  | 'GROUP_NOT_FOUND'
  | 'GROUP_REDEMPTION_DISABLED'
  | 'GROUP_REDEMPTION_REQUIRED'
  | 'UNKNOWN_CUSTOM_FIELD'
  | 'INVALID_FIELD'
  | 'VALIDATION_CODE_ISSUED'
  | 'VALIDATION_CODE_ISSUED_EMAIL'
  | 'VALIDATION_CODE_ISSUE_FAILED'
  | 'VALIDATION_CODE_ISSUE_LIMIT'
  | 'CUSTOMER_RETRIEVED'
  | 'REVERSED'
  | 'REDEMPTION_NOT_FOUND'
  | 'ALREADY_FULLY_REVERSED'
  | 'REVERSAL_EXCEEDS_REDEMPTION'
  | 'IDENTIFIER_MISMATCH';

/** A business failure carried as a value (never thrown): the batch goes on. */
export interface Failure {
  ok: false;
  outcome: Outcome;
}

export const fail = (outcome: Outcome): Failure => ({ ok: false, outcome });
