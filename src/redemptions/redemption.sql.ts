import { subscribed } from '../events/event.sql';
import { OPEN_LOTS_ORDER } from '../ledger/ledger.sql';

/*
 * What a redemption's transaction reads after the wallet lock (WALLET_SQL.lock); its write
 * is the ledger's spend movement (ledger/movements/spend.sql.ts). Shared with the
 * benchmark's raw-Postgres ceiling (through src/statements.ts), so that both send the same
 * SQL. Imports nothing but another such file.
 */
/**
 * The open lots of wallet `wallet` of org `org` in spending order, whether the external
 * reference number `ern` is taken, and whether a webhook endpoint wants the redemption
 * reported; always at least one row (lot columns null when there are no open lots).
 */
const lotsAndReferenceOf = (org: string, ern: string, wallet: string): string =>
  `SELECT EXISTS (SELECT 1 FROM redemption
                   WHERE redemption.org_id = ${org} AND external_reference_number = ${ern}) AS reference_used,
          ${subscribed('redemption.created', org)} AS reported,
          l.id, l.remaining, l.expires_at
     FROM (VALUES (1)) AS one(x)
     LEFT JOIN LATERAL (
       SELECT id, remaining, expires_at FROM lot
        WHERE lot.org_id = ${org} AND wallet_id = ${wallet} AND is_open
       ${OPEN_LOTS_ORDER}
     ) AS l ON true`;

export const REDEMPTION_SQL = {
  /**
   * What a redemption reads under the lock of wallet $1 of org $2 ($3: the external reference
   * number), in one round trip, after the lock was granted.
   */
  lotsAndReference: lotsAndReferenceOf('$2', '$3', '$1'),

  /**
   * lotsAndReference for the own wallet of the customer found by `where` ($1 org, $2
   * identifier, $3 program, $4 external reference number): the statement batched right
   * after the wallet's lock (CUSTOMER_SQL.findLockingWallet), in the same round trip.
   */
  lotsAndReferenceOf: (where: string): string =>
    lotsAndReferenceOf(
      '$1',
      '$4',
      `(SELECT w.id FROM customer c
          JOIN wallet w ON w.org_id = c.org_id AND w.customer_id = c.id AND w.program_id = $3
         WHERE c.org_id = $1 AND ${where})`,
    ),
} as const;
