import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

export interface KeyRow {
  request_hash: string;
  owner_token: string;
  lease_expired: boolean;
  item_results: Record<string, unknown>;
  response_status: number | null;
  response_body: string | null;
}

const leaseUntil = 'now() + make_interval(secs => $5::double precision / 1000)';

/** Idempotency-Key records: owner, lease, per-item results and the finished response. */
@Injectable()
export class IdempotencyRepository {
  /** Claims the key for `token`; false when the org already has it. */
  async claim(
    sql: Sql,
    k: { orgId: number; key: string; hash: string; token: string; leaseMs: number },
  ): Promise<boolean> {
    const rows = await sql.query(
      `INSERT INTO idempotency_key (org_id, key, request_hash, owner_token, lease_until)
       VALUES ($1, $2, $3, $4, ${leaseUntil})
       ON CONFLICT DO NOTHING RETURNING key`,
      [k.orgId, k.key, k.hash, k.token, k.leaseMs],
    );
    return rows.length > 0;
  }

  async find(sql: Sql, orgId: number, key: string): Promise<KeyRow | undefined> {
    const [row] = await sql.query<KeyRow>(
      `SELECT request_hash, owner_token, lease_until < now() AS lease_expired, item_results,
              response_status, response_body
         FROM idempotency_key WHERE org_id = $1 AND key = $2`,
      [orgId, key],
    );
    return row;
  }

  /** Moves an unfinished key from its lapsed owner to `token`; false when someone was faster. */
  async takeOver(
    sql: Sql,
    k: { orgId: number; key: string; token: string; previous: string; leaseMs: number },
  ): Promise<boolean> {
    const changed = await sql.execute(
      `UPDATE idempotency_key SET owner_token = $3, lease_until = ${leaseUntil}
        WHERE org_id = $1 AND key = $2 AND owner_token = $4 AND response_status IS NULL`,
      [k.orgId, k.key, k.token, k.previous, k.leaseMs],
    );
    return changed === 1;
  }

  /** Adds one item's result and renews the lease; false when `token` no longer owns the key. */
  async recordItem(
    sql: Sql,
    k: { orgId: number; key: string; token: string; leaseMs: number },
    index: number,
    result: unknown,
  ): Promise<boolean> {
    const changed = await sql.execute(
      `UPDATE idempotency_key
          SET item_results = item_results || jsonb_build_object($4::text, $6::jsonb),
              lease_until = ${leaseUntil}
        WHERE org_id = $1 AND key = $2 AND owner_token = $3`,
      [k.orgId, k.key, k.token, String(index), k.leaseMs, JSON.stringify(result)],
    );
    return changed === 1;
  }

  async complete(
    sql: Sql,
    k: { orgId: number; key: string; token: string },
    status: number,
    body: string,
  ): Promise<void> {
    await sql.execute(
      `UPDATE idempotency_key SET response_status = $4, response_body = $5, completed_at = now()
        WHERE org_id = $1 AND key = $2 AND owner_token = $3`,
      [k.orgId, k.key, k.token, status, body],
    );
  }

  /**
   * A key with nothing done is dropped so a retry runs afresh; one with finished items has
   * its lease ended so a retry takes over at once and replays them.
   */
  async abandon(sql: Sql, k: { orgId: number; key: string; token: string }): Promise<void> {
    await sql.execute(
      `WITH dropped AS (
         DELETE FROM idempotency_key WHERE org_id = $1 AND key = $2 AND owner_token = $3
            AND item_results = '{}'::jsonb RETURNING key
       )
       UPDATE idempotency_key SET lease_until = now()
        WHERE org_id = $1 AND key = $2 AND owner_token = $3 AND response_status IS NULL
          AND NOT EXISTS (SELECT 1 FROM dropped)`,
      [k.orgId, k.key, k.token],
    );
  }

  async purgeOlderThan(sql: Sql, orgId: number, hours: number): Promise<number> {
    return sql.execute(
      `DELETE FROM idempotency_key
        WHERE org_id = $1 AND created_at < now() - make_interval(hours => $2)`,
      [orgId, hours],
    );
  }
}
