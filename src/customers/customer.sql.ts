/*
 * The statement a redemption opens with, shared with the benchmark's anatomy of a redemption
 * (bench/anatomy.mjs loads this file from dist/). No imports: it is loaded without the
 * application.
 */

/** The customer columns every read of a customer returns (alias `c`). */
export const CUSTOMER_COLUMNS = [
  'id',
  'org_id',
  'mobile',
  'email',
  'external_id',
  'card_number',
  'card_external_id',
  'firstname',
  'lastname',
  'fraud_status',
  'created_at',
]
  .map((column) => `c.${column}`)
  .join(', ');

export const CUSTOMER_SQL = {
  /**
   * The customer found by `where` ($1 org, $2 identifier) and, locked, their wallet in
   * program $3. The wallet is locked in a sub-select, so a wait for the lock ends with the
   * wallet's current row (balance included).
   */
  findLockingWallet: (where: string): string =>
    `SELECT ${CUSTOMER_COLUMNS}, w.id AS wallet_id, w.balance AS wallet_balance
       FROM customer c
       LEFT JOIN LATERAL (
         SELECT id, balance FROM wallet WHERE customer_id = c.id AND program_id = $3 FOR UPDATE
       ) w ON true
      WHERE c.org_id = $1 AND ${where}`,
};
