import { Decimal } from '../common/decimal';
import { Restoration, ReversibleAllocation } from './reversal.repository';

/**
 * Splits `amount` over the redemption's open allocations, latest-consumed first (so the
 * longest-lived points come back first). A part whose lot has expired since is counted as
 * expired and not restored.
 */
export function planReversal(
  allocations: readonly ReversibleAllocation[],
  amount: Decimal,
  now: Date,
): Restoration[] {
  const plan: Restoration[] = [];
  let left = amount;
  for (const a of allocations) {
    if (!left.isPositive()) break;
    const take = a.open.min(left);
    const lapsed = a.lotExpiresAt !== null && a.lotExpiresAt <= now;
    plan.push({
      allocationId: a.id,
      lotId: a.lotId,
      restored: lapsed ? Decimal.ZERO : take,
      expired: lapsed ? take : Decimal.ZERO,
    });
    left = left.sub(take);
  }
  if (left.isPositive()) throw new Error('allocations hold less than the redemption has left');
  return plan;
}
