import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

export interface WalletTotals {
  id: string;
  balance: string;
  ledger: string;
  lots: string;
}

export interface RedemptionTotals {
  code: string;
  points: string;
  reversed: string;
  allocated: string;
  alloc_reversed: string;
  ledger: string;
}

/** The sums the ledger check compares, per wallet and per redemption of an org. */
@Injectable()
export class LedgerCheckRepository {
  async walletTotals(sql: Sql, orgId: number): Promise<WalletTotals[]> {
    return sql.query<WalletTotals>(
      `SELECT w.id, w.balance, COALESCE(l.total, 0) AS ledger, COALESCE(o.total, 0) AS lots
         FROM wallet w
         LEFT JOIN (SELECT wallet_id, sum(amount) AS total FROM ledger_entry GROUP BY wallet_id) l ON l.wallet_id = w.id
         LEFT JOIN (SELECT wallet_id, sum(remaining) AS total FROM lot GROUP BY wallet_id) o ON o.wallet_id = w.id
        WHERE w.org_id = $1 ORDER BY w.id`,
      [orgId],
    );
  }

  async redemptionTotals(sql: Sql, orgId: number): Promise<RedemptionTotals[]> {
    return sql.query<RedemptionTotals>(
      `SELECT r.code, r.points, r.reversed_points AS reversed,
              COALESCE(a.points, 0) AS allocated, COALESCE(a.reversed, 0) AS alloc_reversed,
              COALESCE(l.amount, 0) AS ledger
         FROM redemption r
         LEFT JOIN (SELECT redemption_id, sum(points) AS points, sum(reversed) AS reversed
                      FROM redemption_allocation GROUP BY redemption_id) a ON a.redemption_id = r.id
         LEFT JOIN (SELECT redemption_id, sum(amount) AS amount FROM ledger_entry
                     WHERE kind = 'REDEMPTION' GROUP BY redemption_id) l ON l.redemption_id = r.id
        WHERE r.org_id = $1`,
      [orgId],
    );
  }
}
