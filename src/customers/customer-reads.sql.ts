/*
 * The statements of the till's customer reads (customer/get, customer/redemptions), shared
 * with the scale benchmark's EXPLAIN check (bench/lib/explain.mjs loads this file from
 * dist/). No imports.
 */

/** A redemption as the history shows it, with its reversals (oldest first). */
const HISTORY_SELECT = `SELECT r.id, r.code, r.program_id, r.group_id, r.points, r.reversed_points, r.redeemed_value,
        r.transaction_number, r.external_reference_number, r.redemption_time, r.created_at,
        u.username AS till, r.notes, r.purpose,
        COALESCE((SELECT json_agg(json_build_object(
                    'reversal_id', v.code, 'points_reversed', v.points_restored::text,
                    'points_expired', v.points_expired::text, 'created_at', v.created_at)
                  ORDER BY v.id)
                    FROM reversal v WHERE v.org_id = r.org_id AND v.redemption_id = r.id), '[]') AS reversals
   FROM redemption r JOIN app_user u ON u.id = r.till_id`;

export const CUSTOMER_READS_SQL = {
  /** The own wallets of customer $1 of org $3 and those of its groups, as of $2. */
  walletSummary: `WITH wallets AS (
         SELECT w.* FROM wallet w WHERE w.org_id = $3 AND w.customer_id = $1
         UNION ALL
         SELECT w.* FROM wallet w JOIN group_member m ON m.org_id = w.org_id AND m.group_id = w.group_id
          WHERE w.org_id = $3 AND m.customer_id = $1
         UNION ALL
         SELECT w.* FROM wallet w JOIN customer_group g ON g.org_id = w.org_id AND g.id = w.group_id
          WHERE w.org_id = $3 AND g.primary_customer_id = $1
            AND NOT EXISTS (SELECT 1 FROM group_member m
                             WHERE m.org_id = g.org_id AND m.group_id = g.id AND m.customer_id = $1)
       )
       SELECT w.id AS wallet_id, w.program_id, p.name AS program_name, w.group_id,
              g.external_id AS group_external_id,
              w.balance - COALESCE(l.lapsed, 0) AS available,
              w.lifetime_points, w.redeemed, w.expired + COALESCE(l.lapsed, 0) AS expired, w.returned
         FROM wallets w
         JOIN program p ON p.org_id = w.org_id AND p.id = w.program_id
         LEFT JOIN customer_group g ON g.org_id = w.org_id AND g.id = w.group_id
         LEFT JOIN LATERAL (
           SELECT sum(remaining) AS lapsed FROM lot
            WHERE lot.org_id = w.org_id AND lot.wallet_id = w.id AND is_open AND expires_at <= $2
         ) l ON true
        ORDER BY w.group_id NULLS FIRST, w.program_id`,
  /** How many redemptions customer $1 of org $2 has. */
  redemptionCount:
    'SELECT count(*)::int AS n FROM redemption WHERE org_id = $2 AND customer_id = $1',
  /**
   * Customer $1's redemptions in org $4, newest first ($2 limit, $3 offset), each with its
   * reversals (oldest first).
   */
  redemptionPage: `${HISTORY_SELECT}
        WHERE r.org_id = $4 AND r.customer_id = $1
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $2 OFFSET $3`,
  /**
   * Newest first ($3 at most), older than the customer's redemption whose code is $2, in org
   * $4: the till's keyset page (the code is what the till sees as redemption_id). An unknown
   * code pages nothing.
   */
  redemptionPageBeforeCode: `${HISTORY_SELECT}
        WHERE r.org_id = $4 AND r.customer_id = $1
          AND (r.created_at, r.id) < (SELECT b.created_at, b.id FROM redemption b
                                       WHERE b.org_id = $4 AND b.code = $2 AND b.customer_id = $1)
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $3`,
  /**
   * Customer $1's redemptions in org $4, newest first, older than the redemption $2 (keyset
   * on the customer's index: no OFFSET scan), each with its reversals.
   */
  redemptionPageBefore: `${HISTORY_SELECT}
        WHERE r.org_id = $4 AND r.customer_id = $1
          AND ($2::bigint IS NULL
               OR (r.created_at, r.id) < (SELECT b.created_at, b.id FROM redemption b
                                           WHERE b.org_id = $4 AND b.id = $2 AND b.customer_id = $1))
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $3`,
};
