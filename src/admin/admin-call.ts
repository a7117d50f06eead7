import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { Principal } from '../auth/principal';
import { requestIdOf } from '../common/request-id';
import { auditValue } from '../audit/audit-value';
import { AuditEntry } from '../audit/audit.repository';

/** Who makes an admin call, and which request it is: what the audit log records. */
export interface AdminCall extends Principal {
  requestId: string;
}

/** The signed-in admin with the request's id (after authentication: the principal is set). */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): AdminCall => {
  const req = ctx.switchToHttp().getRequest<Request & { user: Principal }>();
  return { ...req.user, requestId: requestIdOf(req) };
});

/** What `call` did to `target`, as the audit log keeps it. */
export function auditEntry(
  call: AdminCall,
  action: string,
  target: [type: string, id: string | number],
  before: unknown,
  after: unknown,
): AuditEntry {
  return {
    orgId: call.orgId,
    actorId: call.userId,
    actor: call.username,
    action,
    targetType: target[0],
    targetId: target[1],
    before: auditValue(before),
    after: auditValue(after),
    requestId: call.requestId,
  };
}
