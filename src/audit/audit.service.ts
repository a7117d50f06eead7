import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { Db, Sql } from '../database/db';
import { auditValue } from './audit-value';
import { AuditFilter, AuditRepository, AuditRow } from './audit.repository';

/** Who makes an admin call, and which request it is: what the audit log records. */
export interface AdminCall extends Principal {
  requestId: string;
}

/**
 * The audit log of admin writes: each feature's use case appends what it changed in the
 * change's own transaction; the console reads it back.
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly repo: AuditRepository,
  ) {}

  /** Appends what `call` did to `target`, in the write's own transaction `tx`. */
  record(
    tx: Sql,
    call: AdminCall,
    action: string,
    target: [type: string, id: string | number],
    before: unknown,
    after: unknown,
  ): Promise<void> {
    return this.repo.append(tx, {
      orgId: call.orgId,
      actorId: call.userId,
      actor: call.username,
      action,
      targetType: target[0],
      targetId: target[1],
      before: auditValue(before),
      after: auditValue(after),
      requestId: call.requestId,
    });
  }

  /** Appends the creation of `target` (action `<type>.create`), with the row as created. */
  created(
    tx: Sql,
    call: AdminCall,
    target: [type: string, id: number],
    row: unknown,
  ): Promise<void> {
    return this.record(tx, call, `${target[0]}.create`, target, null, row);
  }

  /** Newest first, `limit` entries older than `before`. */
  page(
    orgId: number,
    filter: AuditFilter,
    before: string | undefined,
    limit: number,
  ): Promise<AuditRow[]> {
    return this.repo.page(this.db, orgId, filter, before, limit);
  }
}
