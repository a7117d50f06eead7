import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';
import { CUSTOMER_READS_SQL } from './customer-reads.sql';

export interface RedemptionHistoryRow {
  id: number;
  code: string;
  program_id: number;
  group_id: number | null;
  points: string;
  reversed_points: string;
  redeemed_value: string;
  transaction_number: string;
  external_reference_number: string | null;
  redemption_time: Date;
  created_at: Date;
  till: string;
  notes: string;
  purpose: string;
  reversals: {
    reversal_id: string;
    points_reversed: string;
    points_expired: string;
    created_at: string;
  }[];
}

@Injectable()
export class RedemptionHistoryRepository {
  async count(sql: Sql, orgId: number, customerId: number): Promise<number> {
    const [row] = await sql.query<{ n: number }>(CUSTOMER_READS_SQL.redemptionCount, [
      customerId,
      orgId,
    ]);
    return row.n;
  }

  /** Newest first, each with its reversals (oldest first). */
  async page(
    sql: Sql,
    orgId: number,
    customerId: number,
    limit: number,
    offset: number,
  ): Promise<RedemptionHistoryRow[]> {
    return sql.query<RedemptionHistoryRow>(CUSTOMER_READS_SQL.redemptionPage, [
      customerId,
      limit,
      offset,
      orgId,
    ]);
  }

  /**
   * Newest first, older than the customer's redemption with code `before` (keyset on the
   * customer's index: the same cost for the hundredth page as for the first).
   */
  async pageBeforeCode(
    sql: Sql,
    orgId: number,
    customerId: number,
    before: string,
    limit: number,
  ): Promise<RedemptionHistoryRow[]> {
    return sql.query<RedemptionHistoryRow>(CUSTOMER_READS_SQL.redemptionPageBeforeCode, [
      customerId,
      before,
      limit,
      orgId,
    ]);
  }

  /**
   * Newest first, older than the redemption `before` (keyset on the customer's index: no
   * OFFSET scan), each with its reversals.
   */
  async pageBefore(
    sql: Sql,
    orgId: number,
    customerId: number,
    before: string | undefined,
    limit: number,
  ): Promise<RedemptionHistoryRow[]> {
    return sql.query<RedemptionHistoryRow>(CUSTOMER_READS_SQL.redemptionPageBefore, [
      customerId,
      before ?? null,
      limit,
      orgId,
    ]);
  }
}
