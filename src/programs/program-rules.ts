import { Decimal } from '../common/decimal';
import { Outcome } from '../common/outcome';
import { Program } from './program.repository';

/**
 * A program's limits on one redemption, in the order a cashier would want them explained:
 * precision first, then minimum, maximum, and step. Null when the amount is acceptable.
 */
export function checkProgramRules(points: Decimal, program: Program): Outcome | null {
  if (points.decimalPlaces > program.decimalPlaces) return 'INVALID_PRECISION';
  if (points.lt(program.minRedeem)) return 'BELOW_MINIMUM';
  if (program.maxRedeem !== null && points.gt(program.maxRedeem)) return 'ABOVE_MAXIMUM';
  if (program.redeemMultipleOf !== null && !points.isMultipleOf(program.redeemMultipleOf))
    return 'NOT_A_MULTIPLE';
  return null;
}
