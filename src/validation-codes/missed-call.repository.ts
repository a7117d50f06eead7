import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

@Injectable()
export class MissedCallRepository {
  async record(sql: Sql, orgId: number, mobile: string, at: Date): Promise<number> {
    const [row] = await sql.query<{ id: number }>(
      'INSERT INTO missed_call (org_id, mobile, called_at) VALUES ($1, $2, $3) RETURNING id',
      [orgId, mobile, at],
    );
    return row.id;
  }

  /** The org's newest calls, for the console. */
  async recent(
    sql: Sql,
    orgId: number,
    limit: number,
  ): Promise<{ id: number; mobile: string; called_at: Date; consumed_at: Date | null }[]> {
    return sql.query(
      `SELECT id, mobile, called_at, consumed_at FROM missed_call
        WHERE org_id = $1 ORDER BY id DESC LIMIT $2`,
      [orgId, limit],
    );
  }

  /** Locks the oldest unconsumed call from this mobile since `since`; after the wallet lock. */
  async lockOpen(
    tx: Sql,
    orgId: number,
    mobile: string,
    since: Date,
    now: Date,
  ): Promise<number | undefined> {
    const [row] = await tx.query<{ id: number }>(
      `SELECT id FROM missed_call
        WHERE org_id = $1 AND mobile = $2 AND consumed_at IS NULL AND called_at > $3 AND called_at <= $4
        ORDER BY called_at LIMIT 1 FOR UPDATE`,
      [orgId, mobile, since, now],
    );
    return row?.id;
  }

  async consume(
    tx: Sql,
    orgId: number,
    id: number,
    redemptionId: number,
    now: Date,
  ): Promise<void> {
    await tx.query(
      'UPDATE missed_call SET consumed_at = $3, redemption_id = $4 WHERE org_id = $1 AND id = $2',
      [orgId, id, now, redemptionId],
    );
  }
}
