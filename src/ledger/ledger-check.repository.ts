import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';
import { LEDGER_CHECK_SQL } from './ledger-check.sql';

export interface WalletTotals {
  id: number;
  balance: string;
  ledger: string;
  /** Ledger entries naming a redemption that does not exist. */
  ledger_orphans: number;
  lots: string;
}

export interface RedemptionTotals {
  id: number;
  code: string;
  points: string;
  reversed: string;
  allocated: string;
  alloc_reversed: string;
  /** Allocations naming a lot that does not exist. */
  lots_missing: number;
  ledger: string;
  wallet_missing: boolean;
  customer_missing: boolean;
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
    after: number,
    limit: number,
  ): Promise<WalletTotals[]> {
    return sql.query<WalletTotals>(LEDGER_CHECK_SQL.walletTotals, [orgId, after, limit]);
  }

  async redemptionTotals(
    sql: Sql,
    orgId: number,
    after: number,
    limit: number,
  ): Promise<RedemptionTotals[]> {
    return sql.query<RedemptionTotals>(LEDGER_CHECK_SQL.redemptionTotals, [orgId, after, limit]);
  }
}
