/*
 * Statement texts shared by the wallet repository and the benchmark's raw-Postgres ceiling
 * (bench/workers/raw.mjs loads this file from dist/), so that both send the same SQL.
 * No imports: the benchmark loads it without the application.
 */

/** Lots with points left, in spending order: earliest expiry, no expiry last, then age, then id. */
export const OPEN_LOTS_ORDER = 'ORDER BY expires_at ASC NULLS LAST, earned_at ASC, id ASC';

export const WALLET_SQL = {
  /** Locks the wallet of one owner (a customer or a group) in one program. */
  lock: (ownerColumn: 'customer_id' | 'group_id'): string =>
    `SELECT id, org_id, balance FROM wallet WHERE program_id = $1 AND ${ownerColumn} = $2 FOR UPDATE`,
};
