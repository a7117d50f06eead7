import { subscribed } from '../events/event.sql';
import { OPEN_LOTS_ORDER } from '../ledger/ledger.sql';

/*
 * What a redemption's transaction reads after the wallet lock (WALLET_SQL.lock); its write
 * is the ledger's spend movement (ledger/movements/spend.sql.ts). Shared with the
 * benchmark's raw-Postgres ceiling (through src/statements.ts), so that both send the same
 * SQL. Imports nothing but another such file.
 */
export const REDEMPTION_SQL = {
  /**
   * The wallet's open lots in spending order, whether the external reference number is
   * taken, and whether a webhook endpoint wants the redemption reported: one round trip, read
   * after the wallet lock was granted. Always at least one row (lot columns null when there
   * are no open lots).
   */
  lotsAndReference: `SELECT EXISTS (SELECT 1 FROM redemption
                         WHERE redemption.org_id = $2 AND external_reference_number = $3) AS reference_used,
         ${subscribed('redemption.created', '$2')} AS reported,
         l.id, l.remaining, l.expires_at
    FROM (VALUES (1)) AS one(x)
    LEFT JOIN LATERAL (
      SELECT id, remaining, expires_at FROM lot
       WHERE lot.org_id = $2 AND wallet_id = $1 AND is_open
      ${OPEN_LOTS_ORDER}
    ) AS l ON true`,

  /**
   * lotsAndReference for the own wallet of the customer found by `where` ($1 org, $2
   * identifier, $3 program, $4 external reference number): the statement batched right
   * after the wallet's lock (CUSTOMER_SQL.findLockingWallet), in the same round trip.
   */
  lotsAndReferenceOf: (where: string): string =>
    `SELECT EXISTS (SELECT 1 FROM redemption
                     WHERE redemption.org_id = $1 AND external_reference_number = $4) AS reference_used,
            ${subscribed('redemption.created', '$1')} AS reported,
            l.id, l.remaining, l.expires_at
       FROM (VALUES (1)) AS one(x)
       LEFT JOIN LATERAL (
         SELECT id, remaining, expires_at FROM lot
          WHERE lot.org_id = $1
            AND wallet_id = (SELECT w.id FROM customer c
                               JOIN wallet w ON w.org_id = c.org_id AND w.customer_id = c.id
                                            AND w.program_id = $3
                              WHERE c.org_id = $1 AND ${where})
            AND is_open
          ${OPEN_LOTS_ORDER}
       ) AS l ON true`,
} as const;
