import { Decimal } from '../common/decimal';
import { Outcome } from '../common/outcome';
import { Remaining } from './reversal.repository';

/** A redemption is reversed at most this many times; the last must take the rest. */
export const MAX_REVERSALS_PER_REDEMPTION = 100;

/**
 * Whether `amount` may be reversed of a redemption with `remaining` left, under its program's
 * step (`redeem_multiple_of`). Null when it may.
 *
 * - Never more than is left (810), never after the last allowed reversal (812).
 * - The rest may always be reversed at once, whatever it is: a redemption can always be
 *   undone in full.
 * - A partial reversal is a whole number of the program's steps and leaves at least one
 *   step behind (811), so a whole-point program never holds fractions a till cannot spend,
 *   and a redemption cannot be split into thousands of tiny reversals.
 * - The program's minimum (`min_redeem`) does not bind a reversal: it is a rule about what a
 *   till may spend at once, and a reversal gives points back.
 */
export function checkReversal(
  amount: Decimal,
  remaining: Remaining,
  program: { redeemMultipleOf: Decimal | null },
): Outcome | null {
  if (remaining.left.isZero()) return 'ALREADY_FULLY_REVERSED';
  if (amount.gt(remaining.left)) return 'REVERSAL_EXCEEDS_REDEMPTION';
  if (remaining.reversals >= MAX_REVERSALS_PER_REDEMPTION) return 'TOO_MANY_REVERSALS';
  if (amount.eq(remaining.left)) return null;
  if (remaining.reversals >= MAX_REVERSALS_PER_REDEMPTION - 1) return 'TOO_MANY_REVERSALS';
  const step = program.redeemMultipleOf;
  if (step && (!amount.isMultipleOf(step) || remaining.left.sub(amount).lt(step)))
    return 'REVERSAL_NOT_A_MULTIPLE';
  return null;
}
