import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';
import { CUSTOMER_READS_SQL } from './customer-reads.sql';

export interface WalletSummaryRow {
  wallet_id: number;
  program_id: number;
  program_name: string;
  group_id: number | null;
  group_external_id: string | null;
  /** Unexpired points: lots that lapsed but were not swept yet do not count. */
  available: string;
  lifetime_points: string;
  redeemed: string;
  expired: string;
  returned: string;
}

@Injectable()
export class WalletSummaryRepository {
  /** The customer's own wallets and those of the groups it belongs to, as of `now`. */
  async forCustomer(
    sql: Sql,
    orgId: number,
    customerId: number,
    now: Date,
  ): Promise<WalletSummaryRow[]> {
    return sql.query<WalletSummaryRow>(CUSTOMER_READS_SQL.walletSummary, [customerId, now, orgId]);
  }
}
