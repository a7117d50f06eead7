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
  | 'VALIDATION_CODE_LOCKED'
  | 'FRAUD_CUSTOMER'
  | 'CUSTOMER_NOT_FOUND'
  | 'ABOVE_MAXIMUM'
  | 'BELOW_MINIMUM'
  | 'NO_MISSED_CALL'
  | 'MISSED_CALL_DISABLED'
  | 'VALIDATION_REQUIRED'
  | 'INVALID_REDEMPTION_TIME'
  | 'REDEMPTION_TIME_OUT_OF_RANGE'
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
  | 'REVERSAL_NOT_A_MULTIPLE'
  | 'TOO_MANY_REVERSALS'
  | 'IDENTIFIER_MISMATCH';

/** A use case's "no", in the one shape every feature returns it: the edge maps the outcome. */
export interface Refusal {
  ok: false;
  outcome: Outcome;
}

export const refuse = (outcome: Outcome): Refusal => ({ ok: false, outcome });

/**
 * A lock wait that ran out says "retry": an answer with this outcome is never kept under an
 * Idempotency-Key, so that the retry runs rather than replays it.
 */
export const saysRetry = (outcome: Outcome): boolean => outcome === 'WALLET_LOCKED';

/**
 * Thrown inside a transaction to roll it back with a refusal that must leave nothing
 * behind; the use case that opened the transaction catches it and returns the refusal (a
 * refusal may carry more, e.g. the customer it was for).
 */
export class Rollback extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.outcome);
  }
}
