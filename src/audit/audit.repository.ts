import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

/** One admin write, as the audit log keeps it. */
export interface AuditEntry {
  orgId: number;
  actorId: number;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | number;
  before: unknown;
  after: unknown;
  requestId: string;
}

export interface AuditRow {
  id: number;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  before: unknown;
  after: unknown;
  request_id: string;
  created_at: Date;
}

export interface AuditFilter {
  action?: string;
  targetType?: string;
  targetId?: string;
}

/** The audit log: appended in the transaction of the change it records, never updated. */
@Injectable()
export class AuditRepository {
  async append(tx: Sql, e: AuditEntry): Promise<void> {
    await tx.execute(
      `INSERT INTO audit_log (org_id, actor_id, actor, action, target_type, target_id, before, after, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)`,
      [
        e.orgId,
        e.actorId,
        e.actor,
        e.action,
        e.targetType,
        String(e.targetId),
        e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
        e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
        e.requestId,
      ],
    );
  }

  /** Newest first, `limit` entries older than `before` (keyset: no OFFSET scans). */
  async page(
    sql: Sql,
    orgId: number,
    filter: AuditFilter,
    before: string | undefined,
    limit: number,
  ): Promise<AuditRow[]> {
    return sql.query<AuditRow>(
      `SELECT id, actor, action, target_type, target_id, before, after, request_id, created_at
         FROM audit_log
        WHERE org_id = $1
          AND ($2::bigint IS NULL OR id < $2)
          AND ($3::text IS NULL OR action = $3)
          AND ($4::text IS NULL OR target_type = $4)
          AND ($5::text IS NULL OR target_id = $5)
        ORDER BY id DESC
        LIMIT $6`,
      [
        orgId,
        before ?? null,
        filter.action ?? null,
        filter.targetType ?? null,
        filter.targetId ?? null,
        limit,
      ],
    );
  }
}
