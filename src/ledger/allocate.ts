import { Decimal } from '../common/decimal';

export interface Allocation {
  lotId: number;
  points: Decimal;
}

/**
 * Takes `points` from lots already in spending order (earliest expiry first, no expiry last,
 * then oldest, then lowest id). Returns null when the lots do not hold enough.
 */
export function allocate(
  lots: readonly { id: number; remaining: Decimal }[],
  points: Decimal,
): Allocation[] | null {
  const allocations: Allocation[] = [];
  let left = points;
  for (const lot of lots) {
    if (!left.isPositive()) break;
    if (!lot.remaining.isPositive()) continue;
    const take = lot.remaining.min(left);
    allocations.push({ lotId: lot.id, points: take });
    left = left.sub(take);
  }
  return left.isPositive() ? null : allocations;
}
