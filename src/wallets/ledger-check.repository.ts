import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

export interface WalletTotals {
  id: string;
  balance: string;
  ledger: string;
  lots: string;
}

export interface RedemptionTotals {
  id: string;
  code: string;
  points: string;
  reversed: string;
  allocated: string;
  alloc_reversed: string;
  ledger: string;
}

/**
 * The sums the ledger check compares, per wallet and per redemption of an org, one keyset
 * page at a time (ids above `after`, at most `limit`): each page is one short read through
 * the wallet's or the redemption's own index, so the check holds one page in memory, takes
 * no lock, and costs the same per page however large the org is.
 */
@Injectable()
export class LedgerCheckRepository {
  async walletTotals(
    sql: Sql,
    orgId: number,
    after: string,
    limit: number,
  ): Promise<WalletTotals[]> {
    return sql.query<WalletTotals>(
      `SELECT w.id, w.balance,
              (SELECT coalesce(sum(amount), 0) FROM ledger_entry WHERE wallet_id = w.id) AS ledger,
              (SELECT coalesce(sum(remaining), 0) FROM lot WHERE wallet_id = w.id) AS lots
         FROM wallet w
        WHERE w.org_id = $1 AND w.id > $2::bigint
        ORDER BY w.id LIMIT $3`,
      [orgId, after, limit],
    );
  }

  async redemptionTotals(
    sql: Sql,
    orgId: number,
    after: string,
    limit: number,
  ): Promise<RedemptionTotals[]> {
    return sql.query<RedemptionTotals>(
      `SELECT r.id, r.code, r.points, r.reversed_points AS reversed,
              coalesce(a.points, 0) AS allocated, coalesce(a.reversed, 0) AS alloc_reversed,
              (SELECT coalesce(sum(amount), 0) FROM ledger_entry
                WHERE redemption_id = r.id AND kind = 'REDEMPTION') AS ledger
         FROM redemption r
         LEFT JOIN LATERAL (SELECT sum(points) AS points, sum(reversed) AS reversed
                              FROM redemption_allocation WHERE redemption_id = r.id) a ON true
        WHERE r.org_id = $1 AND r.id > $2::bigint
        ORDER BY r.id LIMIT $3`,
      [orgId, after, limit],
    );
  }
}
