/*
 * The ledger check's statements, shared with the benchmarks (through src/statements.ts).
 * No imports: it is loaded without the application.
 */

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
