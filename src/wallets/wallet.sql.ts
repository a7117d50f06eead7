/*
 * Statement texts shared by the wallet repository and the benchmarks (bench/lib/explain.mjs
 * loads this file from dist/ to EXPLAIN them at scale).
 * No imports: the benchmark loads it without the application.
 */

/** Lots with points left, in spending order: earliest expiry, no expiry last, then age, then id. */
export const OPEN_LOTS_ORDER = 'ORDER BY expires_at ASC NULLS LAST, earned_at ASC, id ASC';

export const WALLET_SQL = {
  /**
   * The first $4 lots lapsed by $1 and not yet written off, after ($2, $3) in lapsing order
   * (keyset on the lot_lapsing index).
   */
  dueForExpiry: `SELECT wallet_id, id, expires_at FROM lot
        WHERE remaining > 0 AND expires_at IS NOT NULL AND expires_at <= $1
          AND (expires_at, id) > ($2::timestamptz, $3::bigint)
        ORDER BY expires_at, id LIMIT $4`,
  /** Locks those of the wallets $1 no other transaction holds. */
  tryLockMany: `SELECT id FROM wallet WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE SKIP LOCKED`,
  /**
   * Writes off every lot of the (locked) wallets $1 lapsed by $2, set-based: an EXPIRY
   * ledger row per lot in spending order with its running balance, lots emptied, wallets
   * reduced ($3-$5: the actor). Returns how many lots.
   */
  expireLapsedOf: `WITH lapsed AS (
         SELECT l.id, l.wallet_id, w.org_id, l.remaining AS amount,
                w.balance - sum(l.remaining) OVER spend AS balance_after,
                row_number() OVER spend AS seq
           FROM lot l JOIN wallet w ON w.id = l.wallet_id
          WHERE l.wallet_id = ANY($1::bigint[]) AND l.remaining > 0
            AND l.expires_at IS NOT NULL AND l.expires_at <= $2
         WINDOW spend AS (PARTITION BY l.wallet_id ORDER BY l.expires_at, l.earned_at, l.id)
       ), emptied AS (
         UPDATE lot SET remaining = 0, expired_at = $2 FROM lapsed WHERE lot.id = lapsed.id
       ), ledger AS (
         INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after, actor_type, actor_id, request_id)
         SELECT org_id, wallet_id, id, 'EXPIRY', -amount, balance_after, $3, $4, $5 FROM lapsed
          ORDER BY wallet_id, seq
       ), totals AS (
         SELECT wallet_id, sum(amount) AS total, count(*) AS lots FROM lapsed GROUP BY wallet_id
       ), reduced AS (
         UPDATE wallet SET balance = balance - t.total, expired = expired + t.total, updated_at = $2
           FROM totals t WHERE wallet.id = t.wallet_id
       )
       SELECT coalesce(sum(lots), 0)::int AS lots FROM totals`,
  /** Locks the wallet of one owner (a customer or a group) in one program. */
  lock: (ownerColumn: 'customer_id' | 'group_id'): string =>
    `SELECT id, org_id, balance FROM wallet WHERE program_id = $1 AND ${ownerColumn} = $2 FOR UPDATE`,
};

/**
 * The ledger check's pages: per wallet (then per redemption) of org $1 with an id above $2,
 * at most $3, the sums to compare, through each row's own index; and the references no
 * foreign key checks on the redemption path (a ledger entry's redemption; a redemption's
 * wallet, customer and lots), counted when missing.
 */
export const LEDGER_CHECK_SQL = {
  walletTotals: `SELECT w.id, w.balance, l.total AS ledger, l.orphans AS ledger_orphans,
              (SELECT coalesce(sum(remaining), 0) FROM lot WHERE wallet_id = w.id AND remaining > 0) AS lots
         FROM wallet w
         CROSS JOIN LATERAL (
           SELECT coalesce(sum(e.amount), 0) AS total,
                  count(*) FILTER (WHERE e.redemption_id IS NOT NULL AND NOT EXISTS
                                     (SELECT 1 FROM redemption r WHERE r.id = e.redemption_id))::int AS orphans
             FROM ledger_entry e WHERE e.wallet_id = w.id
         ) l
        WHERE w.org_id = $1 AND w.id > $2::bigint
        ORDER BY w.id LIMIT $3`,
  redemptionTotals: `SELECT r.id, r.code, r.points, r.reversed_points AS reversed,
              coalesce(a.points, 0) AS allocated, coalesce(a.reversed, 0) AS alloc_reversed,
              coalesce(a.lots_missing, 0) AS lots_missing,
              (SELECT coalesce(sum(amount), 0) FROM ledger_entry
                WHERE redemption_id = r.id AND kind = 'REDEMPTION') AS ledger,
              NOT EXISTS (SELECT 1 FROM wallet w WHERE w.id = r.wallet_id) AS wallet_missing,
              NOT EXISTS (SELECT 1 FROM customer c
                           WHERE c.id = r.customer_id AND c.org_id = r.org_id) AS customer_missing
         FROM redemption r
         LEFT JOIN LATERAL (SELECT sum(points) AS points, sum(reversed) AS reversed,
                                   count(*) FILTER (WHERE NOT EXISTS
                                     (SELECT 1 FROM lot l WHERE l.id = x.lot_id))::int AS lots_missing
                              FROM redemption_allocation x WHERE x.redemption_id = r.id) a ON true
        WHERE r.org_id = $1 AND r.id > $2::bigint
        ORDER BY r.id LIMIT $3`,
};
