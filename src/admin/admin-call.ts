import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { Principal } from '../auth/principal';
import { requestIdOf } from '../common/request-id';

/** Who makes an admin call, and which request it is: what the audit log records. */
export interface AdminCall extends Principal {
  requestId: string;
}

/** The signed-in admin with the request's id (after authentication: the principal is set). */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): AdminCall => {
  const req = ctx.switchToHttp().getRequest<Request & { user: Principal }>();
  return { ...req.user, requestId: requestIdOf(req) };
});
