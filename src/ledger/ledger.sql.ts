/*
 * The ledger's statements that read and lock wallets and lots; each movement's writing
 * statement is a file of its own in movements/. Shared with the benchmarks (through
 * src/statements.ts). No imports: it is loaded without the application.
 */

/**
 * The spending order of a wallet's lots, said once: earliest expiry first (no expiry last),
 * then the oldest, then the lowest id. `alias` qualifies the columns (e.g. 'l.'). The
 * lot_spend_order index is built in this order.
 */
export const spendOrder = (alias = ''): string =>
  `${alias}expires_at ASC NULLS LAST, ${alias}earned_at ASC, ${alias}id ASC`;

/** Lots with points left, in spending order. */
export const OPEN_LOTS_ORDER = `ORDER BY ${spendOrder()}`;

export const WALLET_SQL = {
  /** Locks the wallet of one owner (a customer or a group) of org $1 in program $2. */
  lock: (ownerColumn: 'customer_id' | 'group_id'): string =>
    `SELECT id, org_id, balance FROM wallet
      WHERE org_id = $1 AND program_id = $2 AND ${ownerColumn} = $3 FOR UPDATE`,
  /** Creates the wallet of one owner of org $1 in program $2 unless it exists. */
  create: (ownerColumn: 'customer_id' | 'group_id'): string =>
    `INSERT INTO wallet (org_id, program_id, ${ownerColumn}) VALUES ($1, $2, $3)
      ON CONFLICT DO NOTHING`,
  /** Locks wallet $2 of org $1. */
  lockById: `SELECT id, org_id, balance FROM wallet WHERE org_id = $1 AND id = $2 FOR UPDATE`,
  /** Locks those of the wallets $2 of org $1 no other transaction holds. */
  tryLockMany: `SELECT id FROM wallet WHERE org_id = $1 AND id = ANY($2::bigint[])
        ORDER BY id FOR UPDATE SKIP LOCKED`,
  /** The open lots of wallet $2 of org $1, in spending order. */
  openLots: `SELECT id, remaining, expires_at FROM lot
        WHERE org_id = $1 AND wallet_id = $2 AND is_open
        ${OPEN_LOTS_ORDER}`,
  /**
   * The first $5 lots of org $1 lapsed by $2 and not yet written off, after ($3, $4) in
   * lapsing order (keyset on the lot_lapsing index).
   */
  dueForExpiry: `SELECT wallet_id, id, expires_at FROM lot
        WHERE org_id = $1 AND is_open AND expires_at IS NOT NULL AND expires_at <= $2
          AND (expires_at, id) > ($3::timestamptz, $4::bigint)
        ORDER BY expires_at, id LIMIT $5`,
  /** The oldest lapse by $1 not yet written off, one probe of the lapsing index per org. */
  oldestLapse: `SELECT min(x.oldest) AS oldest FROM org o CROSS JOIN LATERAL (
         SELECT min(expires_at) AS oldest FROM lot
          WHERE lot.org_id = o.id AND is_open AND expires_at IS NOT NULL AND expires_at <= $1
       ) x`,
  /**
   * The redemption $2's allocations (of org $1) with points not yet given back, the
   * latest-consumed first, with their lots' expiry: what a refill plans from.
   */
  openAllocations: `SELECT a.id, a.lot_id, a.points - a.reversed AS open, l.expires_at
         FROM redemption_allocation a JOIN lot l ON l.org_id = a.org_id AND l.id = a.lot_id
        WHERE a.org_id = $1 AND a.redemption_id = $2 AND a.points > a.reversed
        ORDER BY a.seq DESC`,
};
