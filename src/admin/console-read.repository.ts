import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';
import { CustomerRow } from '../customers/customer.repository';

export interface LotView {
  id: number;
  wallet_id: number;
  program_id: number;
  group_id: number | null;
  amount: string;
  remaining: string;
  earned_at: Date;
  expires_at: Date | null;
  note: string;
}

export interface LedgerView {
  id: number;
  wallet_id: number;
  program_id: number;
  group_id: number | null;
  kind: string;
  amount: string;
  balance_after: string;
  /** The redemption's code. */
  redemption_id: string | null;
  actor_type: string;
  created_at: Date;
}

export interface HourlyRow {
  hour: Date;
  program_id: number;
  redemptions: number;
  points: string;
}

/**
 * The console's read-only views across tables (customers, lots, ledger, redemptions,
 * notifications): each bounded by a limit and, where it pages, by a keyset cursor.
 */
@Injectable()
export class ConsoleReadRepository {
  /** Customers whose id or any identifier equals one of `terms` (already normalised). */
  async searchCustomers(
    sql: Sql,
    orgId: number,
    terms: { id?: number; mobile?: string; text: string },
    limit: number,
  ): Promise<CustomerRow[]> {
    return sql.query<CustomerRow>(
      `SELECT id, org_id, mobile, email, external_id, card_number, card_external_id,
              firstname, lastname, fraud_status, created_at
         FROM customer c
        WHERE c.org_id = $1
          AND (c.id = $2 OR c.mobile = $3 OR lower(c.email) = lower($4) OR c.external_id = $4
               OR c.card_number = $4 OR c.card_external_id = $4)
        ORDER BY c.id LIMIT $5`,
      [orgId, terms.id ?? null, terms.mobile ?? null, terms.text, limit],
    );
  }

  /** Open lots of the customer's own wallets, soonest expiry first. */
  async openLots(sql: Sql, orgId: number, customerId: number, now: Date): Promise<LotView[]> {
    return sql.query<LotView>(
      `SELECT l.id, l.wallet_id, w.program_id, w.group_id, l.amount::text, l.remaining::text,
              l.earned_at, l.expires_at, l.note
         FROM wallet w JOIN lot l ON l.org_id = w.org_id AND l.wallet_id = w.id
        WHERE w.org_id = $1 AND w.customer_id = $2 AND l.is_open
          AND (l.expires_at IS NULL OR l.expires_at > $3)
        ORDER BY l.expires_at NULLS LAST, l.earned_at, l.id`,
      [orgId, customerId, now],
    );
  }

  /** The customer's own wallets' ledger, newest first, older than `before`. */
  async ledgerPage(
    sql: Sql,
    orgId: number,
    customerId: number,
    before: string | undefined,
    limit: number,
  ): Promise<LedgerView[]> {
    return sql.query<LedgerView>(
      `SELECT e.id, e.wallet_id, w.program_id, w.group_id, e.kind, e.amount::text,
              e.balance_after::text, r.code AS redemption_id, e.actor_type, e.created_at
         FROM ledger_entry e
         JOIN wallet w ON w.org_id = e.org_id AND w.id = e.wallet_id
         LEFT JOIN redemption r ON r.org_id = e.org_id AND r.id = e.redemption_id
        WHERE e.org_id = $1 AND w.org_id = $1 AND w.customer_id = $2 AND ($3::bigint IS NULL OR e.id < $3)
        ORDER BY e.id DESC LIMIT $4`,
      [orgId, customerId, before ?? null, limit],
    );
  }

  /** Redemptions and points per hour and program since `from`. */
  async hourly(sql: Sql, orgId: number, from: Date): Promise<HourlyRow[]> {
    return sql.query<HourlyRow>(
      `SELECT date_trunc('hour', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, program_id,
              count(*)::int AS redemptions, sum(points)::text AS points
         FROM redemption
        WHERE org_id = $1 AND created_at >= $2
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [orgId, from],
    );
  }

  /** Messages waiting for the gateway, and since when. */
  async outbox(
    sql: Sql,
    orgId: number,
  ): Promise<{ unsent: number; oldest_unsent_at: Date | null }> {
    const [row] = await sql.query<{ unsent: number; oldest_unsent_at: Date | null }>(
      `SELECT count(*)::int AS unsent, min(created_at) AS oldest_unsent_at
         FROM notification WHERE org_id = $1 AND sent_at IS NULL`,
      [orgId],
    );
    return row;
  }
}
