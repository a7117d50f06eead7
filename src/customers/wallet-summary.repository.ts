import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

export interface WalletSummaryRow {
  wallet_id: string;
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
  async forCustomer(sql: Sql, customerId: number, now: Date): Promise<WalletSummaryRow[]> {
    return sql.query<WalletSummaryRow>(
      `WITH wallets AS (
         SELECT w.* FROM wallet w WHERE w.customer_id = $1
         UNION ALL
         SELECT w.* FROM wallet w JOIN group_member m ON m.group_id = w.group_id WHERE m.customer_id = $1
         UNION ALL
         SELECT w.* FROM wallet w JOIN customer_group g ON g.id = w.group_id
          WHERE g.primary_customer_id = $1
            AND NOT EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = g.id AND m.customer_id = $1)
       )
       SELECT w.id AS wallet_id, w.program_id, p.name AS program_name, w.group_id,
              g.external_id AS group_external_id,
              w.balance - COALESCE(l.lapsed, 0) AS available,
              w.lifetime_points, w.redeemed, w.expired + COALESCE(l.lapsed, 0) AS expired, w.returned
         FROM wallets w
         JOIN program p ON p.id = w.program_id
         LEFT JOIN customer_group g ON g.id = w.group_id
         LEFT JOIN LATERAL (
           SELECT sum(remaining) AS lapsed FROM lot
            WHERE lot.wallet_id = w.id AND remaining > 0 AND expires_at <= $2
         ) l ON true
        ORDER BY w.group_id NULLS FIRST, w.program_id`,
      [customerId, now],
    );
  }
}
