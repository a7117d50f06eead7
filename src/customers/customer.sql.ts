/*
 * How a customer is found, and the statement a redemption opens with: shared with the
 * benchmarks (bench/anatomy.mjs, bench/workers/raw.mjs and bench/lib/explain.mjs load this
 * file from dist/). No imports: it is loaded without the application.
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

/** How each kind of identifier finds a customer (alias `c`; $2 is the identifier). */
export const CUSTOMER_WHERE = {
  id: 'c.id = $2::bigint',
  mobile: 'c.mobile = $2',
  email: 'lower(c.email) = lower($2)',
  external_id: 'c.external_id = $2',
  card_number: 'c.card_number = $2',
  card_external_id: 'c.card_external_id = $2',
} as const;

export const CUSTOMER_SQL = {
  /** The customer found by `where` ($1 org, $2 identifier). */
  findBy: (where: string): string =>
    `SELECT ${CUSTOMER_COLUMNS} FROM customer c WHERE c.org_id = $1 AND ${where}`,
  /**
   * The customer found by `where` ($1 org, $2 identifier) and, locked, their wallet in
   * program $3. The wallet is locked in a sub-select, so a wait for the lock ends with the
   * wallet's current row (balance included).
   */
  findLockingWallet: (where: string): string =>
    `SELECT ${CUSTOMER_COLUMNS}, w.id AS wallet_id, w.balance AS wallet_balance
       FROM customer c
       LEFT JOIN LATERAL (
         SELECT id, balance FROM wallet
          WHERE wallet.org_id = c.org_id AND customer_id = c.id AND program_id = $3
          FOR UPDATE
       ) w ON true
      WHERE c.org_id = $1 AND ${where}`,
};
