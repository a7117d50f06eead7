import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

export interface RedemptionHistoryRow {
  id: string;
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

/** A redemption as the history shows it, with its reversals (oldest first). */
const HISTORY_SELECT = `SELECT r.id, r.code, r.program_id, r.group_id, r.points, r.reversed_points, r.redeemed_value,
        r.transaction_number, r.external_reference_number, r.redemption_time, r.created_at,
        u.username AS till, r.notes, r.purpose,
        COALESCE((SELECT json_agg(json_build_object(
                    'reversal_id', v.code, 'points_reversed', v.points_restored::text,
                    'points_expired', v.points_expired::text, 'created_at', v.created_at)
                  ORDER BY v.id)
                    FROM reversal v WHERE v.redemption_id = r.id), '[]') AS reversals
   FROM redemption r JOIN app_user u ON u.id = r.till_id`;

@Injectable()
export class RedemptionHistoryRepository {
  async count(sql: Sql, customerId: number): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM redemption WHERE customer_id = $1',
      [customerId],
    );
    return row.n;
  }

  /** Newest first, each with its reversals (oldest first). */
  async page(
    sql: Sql,
    customerId: number,
    limit: number,
    offset: number,
  ): Promise<RedemptionHistoryRow[]> {
    return sql.query<RedemptionHistoryRow>(
      `${HISTORY_SELECT}
        WHERE r.customer_id = $1
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $2 OFFSET $3`,
      [customerId, limit, offset],
    );
  }

  /**
   * Newest first, older than the redemption `before` (keyset on the customer's index: no
   * OFFSET scan), each with its reversals.
   */
  async pageBefore(
    sql: Sql,
    customerId: number,
    before: string | undefined,
    limit: number,
  ): Promise<RedemptionHistoryRow[]> {
    return sql.query<RedemptionHistoryRow>(
      `${HISTORY_SELECT}
        WHERE r.customer_id = $1
          AND ($2::bigint IS NULL
               OR (r.created_at, r.id) < (SELECT b.created_at, b.id FROM redemption b
                                           WHERE b.id = $2 AND b.customer_id = $1))
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $3`,
      [customerId, before ?? null, limit],
    );
  }
}
