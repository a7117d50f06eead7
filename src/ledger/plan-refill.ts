import { Decimal } from '../common/decimal';
import { Restoration, ReversibleAllocation } from './ledger.repository';

/** What a refill gives back, and of it what goes to live lots and what had lapsed. */
export interface RefillPlan {
  restorations: Restoration[];
  restored: Decimal;
  expired: Decimal;
}

/**
 * Splits `amount` over the redemption's open allocations, latest-consumed first (so the
 * longest-lived points come back first). A part whose lot has expired since is counted as
 * expired and not restored.
 */
export function planRefill(
  allocations: readonly ReversibleAllocation[],
  amount: Decimal,
  now: Date,
): RefillPlan {
  const restorations: Restoration[] = [];
  let restored = Decimal.ZERO;
  let expired = Decimal.ZERO;
  let left = amount;
  for (const a of allocations) {
    if (!left.isPositive()) break;
    const take = a.open.min(left);
    const lapsed = a.lotExpiresAt !== null && a.lotExpiresAt <= now;
    restorations.push({
      allocationId: a.id,
      lotId: a.lotId,
      restored: lapsed ? Decimal.ZERO : take,
      expired: lapsed ? take : Decimal.ZERO,
    });
    if (lapsed) expired = expired.add(take);
    else restored = restored.add(take);
    left = left.sub(take);
  }
  if (left.isPositive()) throw new Error('allocations hold less than the redemption has left');
  return { restorations, restored, expired };
}
