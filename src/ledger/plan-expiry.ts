import { OpenLot } from './wallet';

/**
 * Splits a wallet's open lots (in spending order) at `now`: those lapsed by then, which the
 * expire movement writes off before anything else moves, and the live ones, still in
 * spending order.
 */
export function planExpiry(
  lots: readonly OpenLot[],
  now: Date,
): { lapsed: OpenLot[]; live: OpenLot[] } {
  const lapsed: OpenLot[] = [];
  const live: OpenLot[] = [];
  for (const lot of lots)
    (lot.expiresAt !== null && lot.expiresAt <= now ? lapsed : live).push(lot);
  return { lapsed, live };
}
