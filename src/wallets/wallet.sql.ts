/*
 * Statement texts shared by the wallet repository and the benchmarks (bench/lib/explain.mjs
 * loads this file from dist/ to EXPLAIN them at scale).
 * No imports: the benchmark loads it without the application.
 */

/** Lots with points left, in spending order: earliest expiry, no expiry last, then age, then id. */
export const OPEN_LOTS_ORDER = 'ORDER BY expires_at ASC NULLS LAST, earned_at ASC, id ASC';

export const WALLET_SQL = {
  /**
   * The first $5 lots of org $1 lapsed by $2 and not yet written off, after ($3, $4) in
   * lapsing order (keyset on the lot_lapsing index).
   */
  dueForExpiry: `SELECT wallet_id, id, expires_at FROM lot
        WHERE org_id = $1 AND is_open AND expires_at IS NOT NULL AND expires_at <= $2
          AND (expires_at, id) > ($3::timestamptz, $4::bigint)
        ORDER BY expires_at, id LIMIT $5`,
  /** Locks those of the wallets $2 of org $1 no other transaction holds. */
  tryLockMany: `SELECT id FROM wallet WHERE org_id = $1 AND id = ANY($2::bigint[])
        ORDER BY id FOR UPDATE SKIP LOCKED`,
  /**
   * Writes off every lot of the (locked) wallets $2 of org $1 lapsed by $3, set-based: an
   * EXPIRY ledger row per lot in spending order with its running balance, lots emptied,
   * wallets reduced ($4-$6: the actor). Returns how many lots. Every part names org $1: on a
   * database distributed by org the whole statement runs on the org's shard.
   */
  expireLapsedOf: `WITH lapsed AS (
         SELECT l.id, l.wallet_id, l.remaining AS amount,
                w.balance - sum(l.remaining) OVER spend AS balance_after,
                row_number() OVER spend AS seq
           FROM lot l JOIN wallet w ON w.org_id = l.org_id AND w.id = l.wallet_id
          WHERE l.org_id = $1 AND l.wallet_id = ANY($2::bigint[]) AND l.is_open
            AND l.expires_at IS NOT NULL AND l.expires_at <= $3
         WINDOW spend AS (PARTITION BY l.wallet_id ORDER BY l.expires_at, l.earned_at, l.id)
       ), emptied AS (
         UPDATE lot SET remaining = 0, expired_at = $3 FROM lapsed
          WHERE lot.org_id = $1 AND lot.id = lapsed.id
       ), ledger AS (
         INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after, actor_type, actor_id, request_id)
         SELECT $1, wallet_id, id, 'EXPIRY', -amount, balance_after, $4, $5, $6 FROM lapsed
          ORDER BY wallet_id, seq
       ), totals AS (
         SELECT wallet_id, sum(amount) AS total, count(*) AS lots FROM lapsed GROUP BY wallet_id
       ), reduced AS (
         UPDATE wallet SET balance = balance - t.total, expired = expired + t.total, updated_at = $3
           FROM totals t WHERE wallet.org_id = $1 AND wallet.id = t.wallet_id
       )
       SELECT coalesce(sum(lots), 0)::int AS lots FROM totals`,
  /** Locks the wallet of one owner (a customer or a group) of org $1 in program $2. */
  lock: (ownerColumn: 'customer_id' | 'group_id'): string =>
    `SELECT id, org_id, balance FROM wallet
      WHERE org_id = $1 AND program_id = $2 AND ${ownerColumn} = $3 FOR UPDATE`,
};

/**
 * The ledger check's pages: per wallet (then per redemption) of org $1 with an id above $2,
 * at most $3, the sums to compare, through each row's own index; and the references no
 * foreign key checks on the redemption path (a ledger entry's redemption; a redemption's
 * wallet, customer and lots), counted when missing.
 */
export const LEDGER_CHECK_SQL = {
  walletTotals: `SELECT w.id, w.balance, l.total AS ledger, l.orphans AS ledger_orphans,
              (SELECT coalesce(sum(remaining), 0) FROM lot
                WHERE lot.org_id = w.org_id AND wallet_id = w.id AND is_open) AS lots
         FROM wallet w
         CROSS JOIN LATERAL (
           SELECT coalesce(sum(e.amount), 0) AS total,
                  count(*) FILTER (WHERE e.redemption_id IS NOT NULL AND NOT EXISTS
                                     (SELECT 1 FROM redemption r
                                      WHERE r.org_id = e.org_id AND r.id = e.redemption_id))::int AS orphans
             FROM ledger_entry e WHERE e.org_id = w.org_id AND e.wallet_id = w.id
         ) l
        WHERE w.org_id = $1 AND w.id > $2::bigint
        ORDER BY w.id LIMIT $3`,
  redemptionTotals: `SELECT r.id, r.code, r.points, r.reversed_points AS reversed,
              coalesce(a.points, 0) AS allocated, coalesce(a.reversed, 0) AS alloc_reversed,
              coalesce(a.lots_missing, 0) AS lots_missing,
              (SELECT coalesce(sum(amount), 0) FROM ledger_entry
                WHERE ledger_entry.org_id = r.org_id AND redemption_id = r.id
                  AND kind = 'REDEMPTION') AS ledger,
              NOT EXISTS (SELECT 1 FROM wallet w
                           WHERE w.org_id = r.org_id AND w.id = r.wallet_id) AS wallet_missing,
              NOT EXISTS (SELECT 1 FROM customer c
                           WHERE c.id = r.customer_id AND c.org_id = r.org_id) AS customer_missing
         FROM redemption r
         LEFT JOIN LATERAL (SELECT sum(points) AS points, sum(reversed) AS reversed,
                                   count(*) FILTER (WHERE NOT EXISTS
                                     (SELECT 1 FROM lot l
                                       WHERE l.org_id = x.org_id AND l.id = x.lot_id))::int AS lots_missing
                              FROM redemption_allocation x
                             WHERE x.org_id = r.org_id AND x.redemption_id = r.id) a ON true
        WHERE r.org_id = $1 AND r.id > $2::bigint
        ORDER BY r.id LIMIT $3`,
};
